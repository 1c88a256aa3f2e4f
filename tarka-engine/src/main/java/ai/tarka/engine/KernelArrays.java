package ai.tarka.engine;

/** Row-major arrays for the raw-array kernels, copied out of a tensor only when its storage is not already one. */
final class KernelArrays {
    private KernelArrays() {}

    /**
     * The tensor's elements in row-major order from index 0: its own storage when the tensor is
     * contiguous and starts at offset 0 (kernels read only the first numel elements), else a copy.
     */
    static float[] dense(Tensor t) {
        return t.isContiguous() && t.offset() == 0 ? t.data() : t.toArray();
    }

    /** Number of rows when the last dimension is the row: the product of the leading dimensions. */
    static int leadingRows(int[] shape) {
        int rows = 1;
        for (int i = 0; i < shape.length - 1; i++) rows *= shape[i];
        return rows;
    }
}
