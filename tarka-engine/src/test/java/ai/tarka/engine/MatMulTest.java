package ai.tarka.engine;

import static ai.tarka.engine.TestTensors.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MatMulTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    /** Naive batched product over the broadcast batch, read element by element through get(). */
    static float[] reference(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batch = Shapes.broadcast("ref", java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
        int nb = Shapes.numel("ref", batch);
        float[] out = new float[nb * m * n];
        for (int e = 0; e < nb; e++) {
            int[] bi = TestTensors.unravel(e, batch);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double) at(a, bi, i, p) * at(b, bi, p, j);
                    out[(e * m + i) * n + j] = (float) s;
                }
            }
        }
        return out;
    }

    private static float at(Tensor t, int[] batch, int r, int c) {
        int rank = t.dim(), lead = batch.length - (rank - 2);
        int[] idx = new int[rank];
        for (int d = 0; d < rank - 2; d++) idx[d] = t.size(d) == 1 ? 0 : batch[d + lead];
        idx[rank - 2] = r;
        idx[rank - 1] = c;
        return t.get(idx);
    }

    /** Operand as [.., rows, cols], either stored that way or as a transposed view of [.., cols, rows]. */
    static Tensor operand(Random rng, boolean transposed, int[] batch, int rows, int cols) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = transposed ? cols : rows;
        s[batch.length + 1] = transposed ? rows : cols;
        return normal(rng, s);
    }

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        int[][][] batches = {{{}, {}}, {{2}, {}}, {{}, {3}}, {{2}, {2}}, {{2, 1}, {3}}, {{1, 2}, {3, 1}}};
        Random rng = new Random(77);
        for (int[][] bb : batches) {
            for (int combo = 0; combo < 4; combo++) {
                out.add(new Object[] {bb[0], bb[1], (combo & 1) != 0, (combo & 2) != 0,
                        1 + rng.nextInt(4), 1 + rng.nextInt(4), 1 + rng.nextInt(4), rng.nextLong()});
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardMatchesReferenceAndGradientsMatchFiniteDifferences(int[] batchA, int[] batchB, boolean transA, boolean transB,
                                                                   int m, int k, int n, long seed) {
        Random rng = new Random(seed);
        Tensor a = operand(rng, transA, batchA, m, k), b = operand(rng, transB, batchB, k, n);
        Tensor va = transA ? a.detach().t() : a.detach(), vb = transB ? b.detach().t() : b.detach();
        Tensor c = va.matmul(vb);
        float[] ref = reference(va, vb), got = c.toArray();
        assertThat(got).hasSameSizeAs(ref);
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(ref[i], within(1e-5f));
        CHECK.check("matmul transA=" + transA + " transB=" + transB,
                t -> (transA ? t[0].t() : t[0]).matmul(transB ? t[1].t() : t[1]), a, b);
    }

    /** The engine runs on whichever backend Gemms picks; both must give the same products and gradients. */
    @ParameterizedTest
    @MethodSource("cases")
    void javaAndOpenBlasBackendsGiveTheSameForwardAndBackward(int[] batchA, int[] batchB, boolean transA, boolean transB,
                                                             int m, int k, int n, long seed) {
        Gemm prev = Gemms.get();
        float[][][] results = new float[2][][];
        String[] names = {"java", "openblas"};
        try {
            for (int bi = 0; bi < 2; bi++) {
                Gemms.set(Gemms.byName(names[bi]));
                Random rng = new Random(seed);
                Tensor a = operand(rng, transA, batchA, m + 9, k + 17).requiresGrad(true);
                Tensor b = operand(rng, transB, batchB, k + 17, n + 5).requiresGrad(true);
                Tensor c = (transA ? a.t() : a).matmul(transB ? b.t() : b);
                float[] ref = reference(transA ? a.detach().t() : a.detach(), transB ? b.detach().t() : b.detach());
                float[] got = c.toArray();
                for (int i = 0; i < got.length; i++) assertThat(got[i]).as(names[bi]).isCloseTo(ref[i], within(1e-4f));
                c.backward(Tensor.full(1f, c.shape()));
                results[bi] = new float[][] {got, a.grad().toArray(), b.grad().toArray()};
            }
        } finally {
            Gemms.set(prev);
        }
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < results[0][r].length; i++) {
                assertThat(results[1][r][i]).isCloseTo(results[0][r][i], within(1e-4f));
            }
        }
    }

    @Test
    void otherLayoutsAreCopiedAndStillDifferentiable() {
        Random rng = new Random(8);
        Tensor x = normal(rng, 3, 2, 4), w = normal(rng, 5, 6);
        // permute puts the unit stride in the batch dimension: neither row- nor column-major
        CHECK.check("permuted", t -> t[0].permute(2, 0, 1).matmul(t[0].permute(2, 1, 0)), x);
        // a column slice keeps unit column stride with a wider row stride: read in place
        CHECK.check("sliced", t -> t[0].slice(1, 1, 4).matmul(t[0].slice(1, 2, 5).t()), w);
        // expanded (stride-0) batch of the right operand
        CHECK.check("expanded", t -> t[0].matmul(t[1].slice(0, 0, 4).slice(1, 0, 3).unsqueeze(0).expand(3, 4, 3)), x, w);
    }

    @Test
    void largerProductMatchesReference() {
        Random rng = new Random(13);
        Tensor a = Tensor.randn(rng, 1f, 3, 37, 29), b = Tensor.randn(rng, 1f, 41, 29);
        Tensor c = a.matmul(b.t());
        float[] ref = reference(a, b.t()), got = c.toArray();
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(ref[i], within(1e-4f));
    }

    /** Records each call's flags and sizes and which arrays it read, then delegates. */
    static final class RecordingGemm implements Gemm {
        final Gemm inner;
        final List<String> calls = new ArrayList<>();
        final List<float[]> aArrays = new ArrayList<>(), bArrays = new ArrayList<>(), cArrays = new ArrayList<>();

        RecordingGemm(Gemm inner) {
            this.inner = inner;
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            calls.add((transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " beta=" + beta);
            aArrays.add(a);
            bArrays.add(b);
            cArrays.add(c);
            inner.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        @Override
        public String name() {
            return "recording";
        }
    }

    @Test
    void batchTimesSharedWeightIsOneGemmForwardAndBackwardWithoutCopyingTheTransposedWeight() {
        Gemm prev = Gemms.get();
        RecordingGemm rec = new RecordingGemm(prev);
        Gemms.set(rec);
        try {
            Random rng = new Random(2);
            Tensor x = normal(rng, 3, 5, 4), w = normal(rng, 6, 4); // x·wᵀ: [3,5,4]·[4,6]
            Tensor y = x.matmul(w.t());
            assertThat(rec.calls).containsExactly("NT m=15 n=6 k=4 beta=0.0");
            assertThat(rec.bArrays.get(0)).isSameAs(w.data());
            assertThat(rec.aArrays.get(0)).isSameAs(x.data());
            Tensor gy = Tensor.randn(rng, 1f, 3, 5, 6);
            y.backward(gy);
            // dX = dY·W (W read in place, no transpose flag needed); dW = dYᵀ·X over all 15 rows in one call,
            // in W's own [6, 4] layout, straight into the array that becomes W's gradient
            assertThat(rec.calls.subList(1, 3)).containsExactly("NN m=15 n=4 k=6 beta=0.0", "TN m=6 n=4 k=15 beta=0.0");
            assertThat(rec.bArrays.get(1)).isSameAs(w.data());
            assertThat(rec.aArrays.get(2)).isSameAs(rec.aArrays.get(1));
            assertThat(rec.bArrays.get(2)).isSameAs(x.data());
            assertThat(rec.cArrays.get(2)).isSameAs(w.grad().data());
            // with W's gradient preallocated the same call accumulates into it
            x.matmul(w.t()).backward(gy);
            assertThat(rec.calls.get(5)).isEqualTo("TN m=6 n=4 k=15 beta=1.0");
            assertThat(rec.cArrays.get(5)).isSameAs(w.grad().data());
        } finally {
            Gemms.set(prev);
        }
    }

    @Test
    void broadcastOperandGradientAccumulatesAcrossTheBatchWithBeta() {
        Gemm prev = Gemms.get();
        RecordingGemm rec = new RecordingGemm(prev);
        Gemms.set(rec);
        try {
            Random rng = new Random(3);
            Tensor a = normal(rng, 2, 3), b = normal(rng, 4, 3, 2);
            a.matmul(b).backward(Tensor.randn(rng, 1f, 4, 2, 2));
            // forward 4 calls, dA 4 calls accumulating into one [2,3] (beta 0 then 1), dB 4 calls
            assertThat(rec.calls).hasSize(12);
            assertThat(rec.calls.subList(4, 8)).extracting(s -> s.endsWith("beta=1.0")).containsExactly(false, true, true, true);
        } finally {
            Gemms.set(prev);
        }
        Random rng = new Random(3);
        CHECK.check("shared left operand", t -> t[0].matmul(t[1]), normal(rng, 2, 3), normal(rng, 4, 3, 2));
    }

    @Test
    void preallocatedLeafGradientsAccumulateInPlace() {
        Random rng = new Random(6);
        Tensor x = normal(rng, 2, 3, 4), w = normal(rng, 4, 5), v = normal(rng, 2, 4, 5);
        Tensor gy = Tensor.randn(rng, 1f, 2, 3, 5);
        // reference gradients with no buffers yet
        x.matmul(w).backward(gy);
        x.matmul(v).backward(gy);
        float[] refX = x.grad().toArray(), refW = w.grad().toArray(), refV = v.grad().toArray();
        // preallocated views into one flat array, pre-filled with 1: backward must add, not overwrite
        float[] flat = new float[1 + x.numel() + w.numel() + v.numel()];
        java.util.Arrays.fill(flat, 1f);
        x.setGrad(new Tensor(flat, 1, x.shape(), x.strides()));
        w.setGrad(new Tensor(flat, 1 + x.numel(), w.shape(), w.strides()));
        v.setGrad(new Tensor(flat, 1 + x.numel() + w.numel(), v.shape(), v.strides()));
        x.matmul(w).backward(gy);
        x.matmul(v).backward(gy);
        assertThat(flat[0]).isEqualTo(1f);
        float[][] got = {x.grad().toArray(), w.grad().toArray(), v.grad().toArray()}, ref = {refX, refW, refV};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < ref[t].length; i++) assertThat(got[t][i]).isCloseTo(1f + ref[t][i], within(1e-5f));
        }
        assertThat(w.grad().data()).isSameAs(flat);
    }

    static Stream<Object[]> transposedWeightCases() {
        List<Object[]> out = new ArrayList<>();
        long seed = 500;
        // left operand: 0 plain 2-D, 1 contiguous batch (one flat GEMM), 2 transposed batch (one GEMM per element)
        for (int left = 0; left < 3; left++) {
            for (int grad = 0; grad < 3; grad++) out.add(new Object[] {left, grad, seed++});
        }
        return out.stream();
    }

    /**
     * {@code x·wᵀ} writes w's gradient in w's layout and skips the view's: the result must equal the
     * generic path (the view copied to contiguous first) for fresh, preallocated contiguous and
     * preallocated strided gradients of w, with the view also used elsewhere in the graph.
     *
     * @param grad 0 none yet, 1 a view into a flat array (sentinels around it), 2 a transposed view
     */
    @ParameterizedTest
    @MethodSource("transposedWeightCases")
    void transposedWeightGradientMatchesTheGenericPath(int left, int grad, long seed) {
        Random rng = new Random(seed);
        int b = 2 + rng.nextInt(2), m = 2 + rng.nextInt(5), k = 2 + rng.nextInt(6), n = 1 + rng.nextInt(6);
        Tensor x = switch (left) {
            case 0 -> normal(rng, m, k);
            case 1 -> normal(rng, b, m, k);
            default -> normal(rng, b, k, m);
        };
        Tensor w = normal(rng, n, k), v = normal(rng, k, n);
        java.util.function.Function<Tensor, Tensor> loss = wt -> {
            Tensor xv = left == 2 ? x.transpose(-2, -1) : x;
            return xv.matmul(wt).mul(xv.matmul(wt)).sum().add(wt.mul(v).sum()).add(xv.matmul(wt).sum());
        };
        loss.apply(w.t().contiguous()).backward();
        float[] refW = w.grad().toArray(), refX = x.grad().toArray();
        w.setGrad(null);
        x.setGrad(null);

        float[] flat = new float[w.numel() + 4];
        java.util.Arrays.fill(flat, 7f);
        if (grad == 1) {
            w.setGrad(new Tensor(flat, 2, w.shape(), w.strides()));
        } else if (grad == 2) {
            Tensor buf = Tensor.full(7f, k, n);
            w.setGrad(buf.t());
        }
        Tensor before = w.grad() == null ? null : w.grad();
        loss.apply(w.t()).backward();

        float base = grad == 0 ? 0f : 7f;
        float[] got = w.grad().toArray(), gx = x.grad().toArray();
        for (int i = 0; i < refW.length; i++) assertThat(got[i]).isCloseTo(base + refW[i], within(1e-4f * (1 + Math.abs(refW[i]))));
        for (int i = 0; i < refX.length; i++) assertThat(gx[i]).isCloseTo(refX[i], within(1e-4f * (1 + Math.abs(refX[i]))));
        if (before != null) assertThat(w.grad()).isSameAs(before);
        if (grad == 1) {
            assertThat(new float[] {flat[0], flat[1], flat[flat.length - 2], flat[flat.length - 1]}).containsOnly(7f);
        }
    }

    @Test
    void transposedWeightPathKeepsRetainedViewsNonLeafSourcesAndOtherViews() {
        Random rng = new Random(9);
        Tensor x = normal(rng, 2, 3, 4), w = normal(rng, 5, 4), sq = normal(rng, 4, 4);
        // a retained view gets its own gradient (the generic path), and w still receives it
        Tensor wt = w.t().retainGrad();
        Tensor gy = Tensor.randn(rng, 1f, 2, 3, 5);
        x.matmul(wt).backward(gy);
        assertThat(wt.grad()).isNotNull();
        float[] viaView = w.grad().toArray(), viewGrad = wt.grad().toArray();
        w.setGrad(null);
        x.matmul(w.t()).backward(gy);
        assertThat(w.grad().toArray()).containsExactly(viaView);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 5; c++) assertThat(viewGrad[r * 5 + c]).isEqualTo(viaView[c * 4 + r]);
        }
        // the source of the transpose is itself computed; an identity "transpose" of a square matrix is not a swap
        CHECK.check("non-leaf source", t -> t[0].matmul(t[1].mul(2f).t()), x, w);
        CHECK.check("transpose(0, 0)", t -> t[0].matmul(t[1].transpose(0, 0)), x, sq);
        CHECK.check("transpose(1, 0)", t -> t[0].matmul(t[1].transpose(1, 0)), x, w);
    }

    @Test
    void nonFiniteGradientThroughATransposedWeightIsReported() {
        Tensor x = Tensor.ones(2, 3, 4).requiresGrad(true), w = Tensor.ones(5, 4).requiresGrad(true);
        x.data()[7] = Float.NaN;
        Tensor loss = x.detach().matmul(w.t()).sum();
        assertThatThrownBy(loss::backward).isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("backward of matmul").hasMessageContaining("[5, 4]");
    }

    @Test
    void emptyDimensionsGiveZerosAndZeroGradients() {
        Tensor a = Tensor.zeros(2, 0).requiresGrad(true), b = Tensor.ones(0, 3).requiresGrad(true);
        Tensor c = a.matmul(b);
        assertThat(c.shape()).containsExactly(2, 3);
        assertThat(c.toArray()).containsOnly(0f);
        c.sum().backward();
        assertThat(b.grad().shape()).containsExactly(0, 3);
    }

    @Test
    void shapeErrorsNameMatmulAndBothShapes() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5))).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("matmul:").hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 5))).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("matmul:").hasMessageContaining("[2, 2, 3]").hasMessageContaining("[3, 3, 5]");
        assertThatThrownBy(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 5))).isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("matmul:").hasMessageContaining("[3]").hasMessageContaining("[3, 5]");
    }
}
