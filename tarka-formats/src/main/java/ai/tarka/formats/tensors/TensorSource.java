package ai.tarka.formats.tensors;

import java.util.List;

/**
 * Named tensors stored in a file or a set of files (safetensors, sharded safetensors, GGUF, llama2.c). Models load
 * their weights through this one interface, whatever the format.
 */
public interface TensorSource extends AutoCloseable {

    /** What to name in error messages: usually the file or directory path. */
    String description();

    /** All tensors in storage order. */
    List<TensorEntry> entries();

    /** The entry with this name, or {@code null}. */
    default TensorEntry find(String name) {
        for (TensorEntry e : entries()) if (e.name().equals(name)) return e;
        return null;
    }

    /**
     * The tensor's values converted to F32, row-major in the stored shape.
     *
     * @throws TensorFormatException naming the source and the tensor when it is missing, not a float type, or its
     *                               bytes lie outside the file
     */
    float[] readFloats(String name);

    /**
     * Converts the tensor into {@code dst[offset ..]}, for callers that stack many tensors into one buffer. The default
     * copies from {@link #readFloats(String)}; memory-mapped sources decode straight into {@code dst}.
     *
     * @throws IllegalArgumentException when {@code dst} has fewer than the tensor's element count after {@code offset}
     */
    default void readFloats(String name, float[] dst, int offset) {
        float[] v = readFloats(name);
        if (offset < 0 || v.length > dst.length - (long) offset)
            throw new IllegalArgumentException(description() + ": readFloats('" + name + "') needs " + v.length
                    + " floats at offset " + offset + " but the destination holds " + dst.length);
        System.arraycopy(v, 0, dst, offset, v.length);
    }

    /** Releases mappings; the default does nothing. */
    @Override
    default void close() {
    }
}
