package ai.tarka.engine;

/** Matrix multiply and batched matrix multiply on the GEMM backend; transposed views are passed as flags, not copied. */
public final class MatMul {
    private MatMul() {}


    /** a [..., m, k] · b [..., k, n] with broadcast batch dimensions. */
    public static Tensor matmul(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
