package ai.tarka.kernels.elementwise;

/**
 * A row-major iteration space with the strides of one or two operands, simplified: size-1
 * dimensions are dropped and neighbouring dimensions that both operands step through uniformly are
 * merged. So {@code [B,T,C] + [C]} becomes a {@code [B·T, C]} loop with strides {@code [C,1]} and
 * {@code [0,1]}, and two contiguous tensors become one flat run. The result has at least one
 * dimension (a one-element space is {@code [1]} with zero strides).
 *
 * @param shape    merged sizes, outermost first
 * @param aStrides strides of the first operand per merged dimension
 * @param bStrides strides of the second operand (all zero when built for a single operand)
 */
public record Coalesced(int[] shape, int[] aStrides, int[] bStrides) {

    public static Coalesced of(int[] shape, int[] aStrides) {
        return of(shape, aStrides, new int[shape.length]);
    }

    public static Coalesced of(int[] shape, int[] aStrides, int[] bStrides) {
        int r = shape.length;
        int[] s = new int[Math.max(r, 1)], as = new int[s.length], bs = new int[s.length];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (shape[i] == 1) continue;
            if (k > 0 && as[k - 1] == aStrides[i] * shape[i] && bs[k - 1] == bStrides[i] * shape[i]) {
                s[k - 1] *= shape[i];
                as[k - 1] = aStrides[i];
                bs[k - 1] = bStrides[i];
            } else {
                s[k] = shape[i];
                as[k] = aStrides[i];
                bs[k] = bStrides[i];
                k++;
            }
        }
        if (k == 0) return new Coalesced(new int[] {1}, new int[] {0}, new int[] {0});
        return new Coalesced(java.util.Arrays.copyOf(s, k), java.util.Arrays.copyOf(as, k), java.util.Arrays.copyOf(bs, k));
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements (the product of the sizes). */
    public long numel() {
        long n = 1;
        for (int v : shape) n *= v;
        return n;
    }

    /** Size of the innermost dimension: the length of each run the loops hand to a kernel. */
    public int inner() {
        return shape[shape.length - 1];
    }
}
