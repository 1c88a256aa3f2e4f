package ai.tarka.train;

/** A named float32 tensor as stored in a checkpoint file (shape outermost first). */
public record NamedArray(String name, int[] shape, float[] data) {
    public NamedArray {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) {
            throw new IllegalArgumentException("NamedArray '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " holds " + n + " values, got " + data.length);
        }
    }
}
