package ai.tarka.kernels.elementwise;

import ai.tarka.kernels.ComputePool;

/**
 * {@code out = a op b} over a broadcast shape, where {@code a} and {@code b} are strided views (stride
 * 0 on broadcast dimensions) and {@code out} is contiguous. After {@link Coalesced merging}, each
 * innermost run goes to the fastest loop its strides allow: both unit stride (equal shapes, or a
 * broadcast row such as {@code [B,T,C] + [C]}), one side stride 0 (a broadcast column or a scalar),
 * or the scalar strided fallback (transposed operands).
 *
 * <p>The flat output range is split across {@link ComputePool#shared()} in contiguous chunks, so the
 * result does not depend on the thread count.
 */
public final class BroadcastBinary {
    private BroadcastBinary() {}

    /** Elements per parallel chunk, at least: below this the pool's hand-off costs more than it saves. */
    static final int GRAIN = 1 << 15;

    public static void apply(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides,
                             float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        long total = 1;
        for (int s : shape) total *= s;
        if (total == 0) return;
        Coalesced c = Coalesced.of(shape, aStrides, bStrides);
        int n = (int) total;
        ComputePool.shared().parallelFor(n, GRAIN, (start, end) -> range(op, c, a, aOff, b, bOff, out, outOff, start, end));
    }

    /** Computes flat output elements {@code [start, end)}. */
    private static void range(BinaryOp op, Coalesced c, float[] a, int aOff, float[] b, int bOff,
                              float[] out, int outOff, int start, int end) {
        int[] shape = c.shape(), as = c.aStrides(), bs = c.bStrides();
        int r = shape.length, inner = shape[r - 1], ias = as[r - 1], ibs = bs[r - 1];
        int row = start / inner, col = start % inner;
        int[] idx = new int[r];
        int pa = aOff, pb = bOff;
        for (int d = r - 2; d >= 0; d--) {
            idx[d] = row % shape[d];
            row /= shape[d];
            pa += idx[d] * as[d];
            pb += idx[d] * bs[d];
        }
        int pos = start;
        while (pos < end) {
            int len = Math.min(inner - col, end - pos);
            run(op, a, pa + col * ias, ias, b, pb + col * ibs, ibs, out, outOff + pos, len);
            pos += len;
            col = 0;
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    pa += as[d];
                    pb += bs[d];
                    break;
                }
                pa -= (shape[d] - 1) * as[d];
                pb -= (shape[d] - 1) * bs[d];
                idx[d] = 0;
            }
        }
    }

    private static void run(BinaryOp op, float[] a, int pa, int sa, float[] b, int pb, int sb, float[] out, int po, int len) {
        if (sa == 1 && sb == 1) {
            ElementwiseKernels.binary(op, a, pa, b, pb, out, po, len);
        } else if (sa == 1 && sb == 0) {
            ElementwiseKernels.binaryScalarRight(op, a, pa, b[pb], out, po, len);
        } else if (sa == 0 && sb == 1) {
            ElementwiseKernels.binaryScalarLeft(op, a[pa], b, pb, out, po, len);
        } else {
            ElementwiseKernels.binaryStrided(op, a, pa, sa, b, pb, sb, out, po, len);
        }
    }
}
