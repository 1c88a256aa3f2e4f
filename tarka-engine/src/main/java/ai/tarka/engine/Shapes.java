package ai.tarka.engine;

import java.util.Arrays;

/** Shape arithmetic shared by every operation; errors name the operation and the shapes. */
public final class Shapes {
    private Shapes() {}

    public static int numel(String op, int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new ShapeException(op, "negative dimension", shape);
            n *= s;
            if (n > Integer.MAX_VALUE - 16) throw new ShapeException(op, "more than 2^31 elements", shape);
        }
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Normalises a possibly negative dimension index. */
    public static int dim(String op, int d, int rank) {
        int a = d < 0 ? d + rank : d;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + d + " out of range for rank " + rank);
        }
        return a;
    }

    /** numpy broadcasting of two shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op, "shapes cannot broadcast (dimension " + i + ": " + da + " vs " + db + ")", a, b);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Resolves a -1 in a reshape target and checks the element count. */
    public static int[] inferReshape(String op, int[] from, int[] to) {
        int known = 1, infer = -1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) throw new ShapeException(op, "more than one -1", from, to);
                infer = i;
            } else if (to[i] < 0) {
                throw new ShapeException(op, "negative dimension", from, to);
            } else {
                known *= to[i];
            }
        }
        int n = numel(op, from);
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) throw new ShapeException(op, "cannot infer -1", from, to);
            out[infer] = n / known;
        } else if (known != n) {
            throw new ShapeException(op, n + " elements cannot take shape with " + known, from, to);
        }
        return out;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
