package ai.tarka.engine;

import ai.tarka.kernels.optim.GradientKernels;

/**
 * Loops over arbitrary strided views: copying to contiguous storage, adding one view into another,
 * filling. The innermost dimension runs as a plain loop (unit stride is the common case and the JIT
 * vectorises it); outer dimensions advance an odometer without allocating.
 */
public final class Strided {
    private Strided() {}

    /** Copies {@code src} in row-major order into {@code dst[dstOff ...]}. */
    public static void copy(Tensor src, float[] dst, int dstOff) {
        int n = src.numel();
        if (n == 0) return;
        float[] s = src.data();
        if (src.isContiguous()) {
            System.arraycopy(s, src.offset(), dst, dstOff, n);
            return;
        }
        int[] shape = src.shape(), st = src.strides();
        int r = shape.length;
        int inner = shape[r - 1], is = st[r - 1];
        int outer = n / inner;
        int[] idx = new int[r];
        int p = src.offset(), q = dstOff;
        for (int o = 0; o < outer; o++) {
            for (int i = 0, sp = p; i < inner; i++, sp += is) dst[q++] = s[sp];
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    p += st[d];
                    break;
                }
                p -= (shape[d] - 1) * st[d];
                idx[d] = 0;
            }
        }
    }

    /** {@code dst += src}, same shapes, any strides (dst must not overlap itself through stride 0). */
    public static void addInto(Tensor dst, Tensor src) {
        combine("addInto", dst, src, true);
    }

    /** {@code dst = src}, same shapes, any strides. */
    public static void assign(Tensor dst, Tensor src) {
        combine("assign", dst, src, false);
    }

    private static void combine(String op, Tensor dst, Tensor src, boolean add) {
        if (!dst.sameShape(src)) throw new ShapeException(op, "shapes differ", dst.shape(), src.shape());
        int n = dst.numel();
        if (n == 0) return;
        float[] d = dst.data(), s = src.data();
        if (dst.isContiguous() && src.isContiguous()) {
            int a = dst.offset(), b = src.offset();
            if (add) for (int i = 0; i < n; i++) d[a + i] += s[b + i];
            else System.arraycopy(s, b, d, a, n);
            return;
        }
        int[] shape = dst.shape(), ds = dst.strides(), ss = src.strides();
        int r = shape.length;
        int inner = shape[r - 1], dis = ds[r - 1], sis = ss[r - 1];
        int outer = n / inner;
        int[] idx = new int[r];
        int p = dst.offset(), q = src.offset();
        for (int o = 0; o < outer; o++) {
            if (add) for (int i = 0, dp = p, sp = q; i < inner; i++, dp += dis, sp += sis) d[dp] += s[sp];
            else for (int i = 0, dp = p, sp = q; i < inner; i++, dp += dis, sp += sis) d[dp] = s[sp];
            for (int k = r - 2; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    p += ds[k];
                    q += ss[k];
                    break;
                }
                p -= (shape[k] - 1) * ds[k];
                q -= (shape[k] - 1) * ss[k];
                idx[k] = 0;
            }
        }
    }

    public static void fill(Tensor dst, float v) {
        if (dst.isContiguous()) {
            java.util.Arrays.fill(dst.data(), dst.offset(), dst.offset() + dst.numel(), v);
        } else {
            assign(dst, Tensor.full(v, dst.shape()));
        }
    }

    public static boolean allFinite(Tensor t) {
        float[] d = t.data();
        if (t.isContiguous()) {
            return GradientKernels.indexOfNonFinite(d, t.offset(), t.numel()) < 0;
        }
        for (float v : t.toArray()) if (!Float.isFinite(v)) return false;
        return true;
    }
}
