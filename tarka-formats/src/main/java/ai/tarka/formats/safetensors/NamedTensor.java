package ai.tarka.formats.safetensors;

import java.util.Arrays;

/**
 * A tensor to write: its name, shape (outermost first) and row-major F32 values. The data array is not copied, so a
 * caller can hand over large weights without doubling memory.
 */
public record NamedTensor(String name, int[] shape, float[] data) {
    public NamedTensor {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("NamedTensor: name must not be empty");
        if (shape == null || data == null)
            throw new IllegalArgumentException("NamedTensor '" + name + "': shape and data must not be null");
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0)
                throw new IllegalArgumentException("NamedTensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length)
            throw new IllegalArgumentException("NamedTensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but data has " + data.length);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
