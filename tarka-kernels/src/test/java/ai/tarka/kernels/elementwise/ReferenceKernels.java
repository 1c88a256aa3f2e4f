package ai.tarka.kernels.elementwise;

/** Plain loops, one element at a time, that the vectorised kernels are checked against. */
final class ReferenceKernels {
    private ReferenceKernels() {}

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    /** {@code out[e] = a[...] op b[...]} with explicit multi-index arithmetic per element. */
    static float[] broadcastBinary(BinaryOp op, int[] shape, float[] a, int aOff, int[] as, float[] b, int bOff, int[] bs) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] out = new float[n];
        for (int e = 0; e < n; e++) {
            int rem = e, pa = aOff, pb = bOff;
            for (int d = shape.length - 1; d >= 0; d--) {
                int i = rem % shape[d];
                rem /= shape[d];
                pa += i * as[d];
                pb += i * bs[d];
            }
            out[e] = apply(op, a[pa], b[pb]);
        }
        return out;
    }

    /** Sum over the flagged dimensions, in double, output row-major over the kept dimensions. */
    static float[] sumDims(int[] shape, float[] x, int off, int[] st, boolean[] reduce) {
        int r = shape.length, nOut = 1, n = 1;
        for (int d = 0; d < r; d++) {
            n *= shape[d];
            if (!reduce[d]) nOut *= shape[d];
        }
        double[] acc = new double[nOut];
        for (int e = 0; e < n; e++) {
            int rem = e, p = off, o = 0, scale = 1;
            for (int d = r - 1; d >= 0; d--) {
                int i = rem % shape[d];
                rem /= shape[d];
                p += i * st[d];
                if (!reduce[d]) {
                    o += i * scale;
                    scale *= shape[d];
                }
            }
            acc[o] += x[p];
        }
        float[] out = new float[nOut];
        for (int i = 0; i < nOut; i++) out[i] = (float) acc[i];
        return out;
    }

    /** Max along the middle of [outer, d, inner] with first-index ties; NaN counts as the maximum. */
    static void maxAlong(float[] x, int off, int outer, int d, int inner, float[] val, int[] idx) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float best = Float.NaN;
                int at = -1;
                for (int j = 0; j < d; j++) {
                    float v = x[off + (o * d + j) * inner + i];
                    if (at < 0 || (!Float.isNaN(best) && (v > best || Float.isNaN(v)))) {
                        best = v;
                        at = j;
                    }
                }
                val[o * inner + i] = best;
                idx[o * inner + i] = at;
            }
        }
    }

    /** Bit-for-bit equality, reporting the first differing position (cheap on large arrays, unlike containsExactly). */
    static void assertSameFloats(float[] actual, float[] expected, String what) {
        org.assertj.core.api.Assertions.assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        int at = java.util.Arrays.mismatch(actual, expected);
        if (at >= 0) {
            org.assertj.core.api.Assertions.assertThat(actual[at]).as(what + " at " + at).isEqualTo(expected[at]);
        }
    }
}
