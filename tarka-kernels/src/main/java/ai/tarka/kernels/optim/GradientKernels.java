package ai.tarka.kernels.optim;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Reductions and rescaling over runs of a flat gradient buffer, for norm clipping and accumulation. */
public final class GradientKernels {
    private GradientKernels() {}

    /** Doubles of the same vector width as {@link Vec#F}: each float vector widens into two of these. */
    private static final VectorSpecies<Double> D = Vec.D;

    /**
     * Σ a[i]² over {@code a[off..off+n)}, each float widened to double before squaring and summing,
     * so a clipping norm over hundreds of millions of elements keeps double accuracy.
     */
    public static double sumOfSquares(float[] a, int off, int n) {
        checkRange("sumOfSquares", a, off, n);
        int i = 0;
        double total = 0;
        if (Vec.ENABLED) {
            VectorSpecies<Float> f = Vec.F;
            int step = 2 * f.length();
            int bound = n - n % step;
            DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
            DoubleVector s2 = DoubleVector.zero(D), s3 = DoubleVector.zero(D);
            for (; i < bound; i += step) {
                FloatVector x = FloatVector.fromArray(f, a, off + i);
                FloatVector y = FloatVector.fromArray(f, a, off + i + f.length());
                DoubleVector x0 = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x1 = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 1);
                DoubleVector y0 = (DoubleVector) y.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector y1 = (DoubleVector) y.convertShape(VectorOperators.F2D, D, 1);
                s0 = x0.fma(x0, s0);
                s1 = x1.fma(x1, s1);
                s2 = y0.fma(y0, s2);
                s3 = y1.fma(y1, s3);
            }
            total = Vec.sum(s0.add(s1).add(s2.add(s3)));
        }
        return total + sumOfSquaresScalar(a, off + i, n - i);
    }

    public static double sumOfSquaresScalar(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double x = a[off + i];
            s = Math.fma(x, x, s);
        }
        return s;
    }

    /** {@code a[off..off+n) *= s}. */
    public static void scale(float[] a, int off, int n, float s) {
        checkRange("scale", a, off, n);
        int i = 0;
        if (Vec.ENABLED) {
            VectorSpecies<Float> f = Vec.F;
            int bound = f.loopBound(n);
            for (; i < bound; i += f.length()) {
                FloatVector.fromArray(f, a, off + i).mul(s).intoArray(a, off + i);
            }
        }
        for (; i < n; i++) a[off + i] *= s;
    }

    /** Index (relative to {@code off}) of the first NaN or infinity in {@code a[off..off+n)}, or -1. */
    public static int indexOfNonFinite(float[] a, int off, int n) {
        checkRange("indexOfNonFinite", a, off, n);
        int i = 0;
        if (Vec.ENABLED) {
            // x·0 is 0 for every finite x and NaN for NaN/±Inf, so a block whose sum of x·0 is not 0
            // holds a non-finite value; only that block is searched element by element.
            VectorSpecies<Float> f = Vec.F;
            int block = 64 * f.length();
            for (; i + block <= n; i += block) {
                FloatVector acc = FloatVector.zero(f);
                for (int j = 0; j < block; j += f.length()) {
                    acc = acc.add(FloatVector.fromArray(f, a, off + i + j).mul(0f));
                }
                if (acc.reduceLanes(VectorOperators.ADD) != 0f) break;
            }
        }
        for (; i < n; i++) {
            if (!Float.isFinite(a[off + i])) return i;
        }
        return -1;
    }

    private static void checkRange(String op, float[] a, int off, int n) {
        if (n < 0 || off < 0 || off + n > a.length) {
            throw new IllegalArgumentException("GradientKernels." + op + ": run of " + n + " at offset " + off
                    + " outside an array of " + a.length + " floats");
        }
    }
}
