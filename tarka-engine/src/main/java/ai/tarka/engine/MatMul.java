package ai.tarka.engine;

import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.elementwise.ReduceKernels;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;

/**
 * Matrix multiply and batched matrix multiply on the GEMM backend; transposed views are passed as
 * flags, not copied.
 *
 * <p>Each operand's last two dimensions are read in place when they are row-major (unit column
 * stride) or a transposed view (unit row stride); any other layout is copied to contiguous first.
 * Batch dimensions broadcast numpy-style. When the right operand is one matrix shared by the whole
 * batch and the left operand's rows are evenly spaced across the batch (any contiguous
 * {@code [B, T, k]}), the product is ONE GEMM over the B·T rows, and so are both backward
 * products. Otherwise each batch element is one GEMM call (the backend parallelises inside it).
 *
 * <p>Backward: {@code dA = dC·Bᵀ} and {@code dB = Aᵀ·dC} by the same GEMM with flipped transpose
 * flags. A gradient shared by several batch elements (a broadcast operand) is accumulated with
 * {@code beta = 1}. When B is the transpose view {@code w.t()} of a 2-D w (a Linear weight), its
 * gradient is computed as {@code dBᵀ = dCᵀ·A} straight into w's gradient, in w's layout.
 */
public final class MatMul {
    private MatMul() {}

    /** Rows per parallel chunk of the in-place bias add of {@link #linear}. */
    private static final int BIAS_ROW_GRAIN = 64;

    /**
     * {@code x [m, k] · weight [n, k]ᵀ + bias [n]} (bias may be null): the affine map of a linear layer. Equal, bit
     * for bit, to {@code x.matmul(weight.t()).add(bias)}, but the bias is added in place into the product's storage,
     * which this method has just allocated and which the product's backward does not read, so no second [m, n]
     * tensor is made; backward hands the incoming gradient on to the product and sums it over rows for the bias.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = matmul(x, weight.t());
        if (bias == null) return y;
        int[] ys = y.shape(), bs = bias.shape();
        if (ys.length != 2 || bs.length != 1 || bs[0] != ys[1]) {
            throw new ShapeException("linear", "needs x [m, k], weight [n, k] and bias [n]", x.shape(), weight.shape(), bs);
        }
        int m = ys[0], n = ys[1];
        float[] yd = y.data(), bd = KernelArrays.dense(bias);
        ComputePool.shared().parallelFor(m, BIAS_ROW_GRAIN, (start, end) -> {
            for (int r = start; r < end; r++) ReduceKernels.addInto(yd, r * n, bd, 0, n);
        });
        Tensor out = Tensor.of(yd, ys);
        return Tensor.record("linear.bias", out, g -> {
            if (y.requiresGrad()) Reductions.accumulateSummed(g, y, g, ys);
            if (bias.requiresGrad()) Reductions.accumulateSummed(g, bias, g, bs);
        }, y, bias);
    }

    /** a [..., m, k] · b [..., k, n] with broadcast batch dimensions. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        if (as.length < 2 || bs.length < 2) {
            throw new ShapeException("matmul", "both operands need at least 2 dimensions (1-D operands are not supported)", as, bs);
        }
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new ShapeException("matmul", "inner dimensions differ (" + k + " vs " + bs[bs.length - 2] + ")", as, bs);
        }
        int[] batch = batchShape(as, bs);
        int nb = Shapes.numel("matmul", batch);
        Operand opA = Operand.of(a, batch), opB = Operand.of(b, batch);
        boolean flat = nb > 1 && opB.slots == 1 && opA.slots == nb && opA.rowsEvenlySpaced(m);

        int[] outShape = new int[batch.length + 2];
        System.arraycopy(batch, 0, outShape, 0, batch.length);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] c = new float[Shapes.numel("matmul", outShape)];
        boolean empty = m == 0 || n == 0 || k == 0 || nb == 0;
        Gemm gemm = Gemms.get();
        if (!empty) {
            if (flat) {
                gemm.sgemm(false, opB.trans, nb * m, n, k, 1f, opA.data, opA.offs[0], opA.ld,
                        opB.data, opB.offs[0], opB.ld, 0f, c, 0, n);
            } else {
                for (int i = 0; i < nb; i++) {
                    gemm.sgemm(opA.trans, opB.trans, m, n, k, 1f, opA.data, opA.offs[i], opA.ld,
                            opB.data, opB.offs[i], opB.ld, 0f, c, i * m * n, n);
                }
            }
        }
        Tensor out = Tensor.of(c, outShape);
        return Tensor.record("matmul", out, g -> {
            if (empty) {
                a.accumulateGradOwned(Tensor.zeros(as));
                b.accumulateGradOwned(Tensor.zeros(bs));
                return;
            }
            Tensor gc = g.detach().contiguous();
            float[] gd = gc.data();
            int go = gc.offset();
            Gemm ge = Gemms.get();
            if (a.requiresGrad()) {
                Tensor direct = directGrad(a);
                float[] da = direct != null ? direct.data() : new float[a.numel()];
                int base = direct != null ? direct.offset() : 0;
                if (flat) {
                    ge.sgemm(false, !opB.trans, nb * m, k, n, 1f, gd, go, n, opB.data, opB.offs[0], opB.ld,
                            direct != null ? 1f : 0f, da, base, k);
                } else {
                    boolean[] written = new boolean[opA.slots];
                    for (int i = 0; i < nb; i++) {
                        int slot = opA.slotOf[i];
                        ge.sgemm(false, !opB.trans, m, k, n, 1f, gd, go + i * m * n, n, opB.data, opB.offs[i], opB.ld,
                                direct != null || written[slot] ? 1f : 0f, da, base + slot * m * k, k);
                        written[slot] = true;
                    }
                }
                if (direct == null) a.accumulateGradOwned(Tensor.of(da, as));
            }
            Tensor w = b.requiresGrad() ? transposeSource(b) : null;
            if (w != null) {
                // dBᵀ = dCᵀ·A, written in w's own [n, k] layout: the view b gets no gradient of its own
                Tensor wg = w.grad();
                boolean into = wg != null && wg.isContiguous();
                float[] dw = into ? wg.data() : new float[n * k];
                int base = into ? wg.offset() : 0;
                for (int i = 0; i < (flat ? 1 : nb); i++) {
                    ge.sgemm(true, opA.trans, n, k, flat ? nb * m : m, 1f, gd, go + i * m * n, n,
                            opA.data, opA.offs[i], opA.ld, into || i > 0 ? 1f : 0f, dw, base, k);
                }
                if (!into) w.accumulateGradOwned(Tensor.of(dw, w.shape()));
                if (Tensor.Autograd.CHECK_FINITE) Tensor.Autograd.checkFinite("matmul", w, g);
            } else if (b.requiresGrad()) {
                Tensor direct = directGrad(b);
                float[] db = direct != null ? direct.data() : new float[b.numel()];
                int base = direct != null ? direct.offset() : 0;
                if (flat) {
                    ge.sgemm(true, false, k, n, nb * m, 1f, opA.data, opA.offs[0], opA.ld, gd, go, n,
                            direct != null ? 1f : 0f, db, base, n);
                } else {
                    boolean[] written = new boolean[opB.slots];
                    for (int i = 0; i < nb; i++) {
                        int slot = opB.slotOf[i];
                        ge.sgemm(!opA.trans, false, k, n, m, 1f, opA.data, opA.offs[i], opA.ld, gd, go + i * m * n, n,
                                direct != null || written[slot] ? 1f : 0f, db, base + slot * k * n, n);
                        written[slot] = true;
                    }
                }
                if (direct == null) b.accumulateGradOwned(Tensor.of(db, bs));
            }
        }, a, b);
    }

    /**
     * The gradient buffer of a leaf that already has a contiguous one (a parameter with a
     * preallocated gradient): the GEMM accumulates into it with {@code beta = 1}, which is what
     * {@link Tensor#accumulateGrad} would do, without a temporary or an extra pass.
     */
    private static Tensor directGrad(Tensor t) {
        Tensor g = t.grad();
        return t.isLeaf() && g != null && g.isContiguous() ? g : null;
    }

    /**
     * The tensor w when {@code t} is its transpose view {@code w.t()} and w is 2-D, as a Linear
     * layer passes its [out, in] weight: the backward GEMM then writes w's gradient in w's layout,
     * which saves the view's gradient buffer and the transpose backward's strided copy or add. Null
     * for anything else, and when the view keeps its own gradient (retainGrad).
     */
    private static Tensor transposeSource(Tensor t) {
        Node fn = t.gradFn();
        if (fn == null || t.dim() != 2 || !fn.op.equals("transpose") || t.retainsGrad()) return null;
        Tensor w = fn.inputs[0];
        boolean swapped = w.dim() == 2 && w.size(0) == t.size(1) && w.size(1) == t.size(0)
                && w.stride(0) == t.stride(1) && w.stride(1) == t.stride(0);
        return swapped && w.requiresGrad() ? w : null;
    }

    /** numpy broadcast of the batch dimensions (all but the last two); errors show both full shapes. */
    private static int[] batchShape(int[] as, int[] bs) {
        int ra = as.length - 2, rb = bs.length - 2, r = Math.max(ra, rb);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - ra) >= 0 ? as[i - (r - ra)] : 1;
            int db = i - (r - rb) >= 0 ? bs[i - (r - rb)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException("matmul", "batch dimensions cannot broadcast (" + da + " vs " + db + ")", as, bs);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * One operand as the GEMM sees it: storage, leading dimension, transpose flag, and for each
     * output batch element the storage offset of its matrix ({@code offs}) and its gradient slot
     * ({@code slotOf}: the index of its matrix within the operand's own batch, row-major; repeated
     * when broadcast).
     */
    private record Operand(float[] data, int ld, boolean trans, int[] offs, int[] slotOf, int slots) {

        static Operand of(Tensor t, int[] batch) {
            int r = t.dim();
            int rows = t.size(-2), cols = t.size(-1);
            int rs = t.stride(-2), cs = t.stride(-1);
            boolean trans;
            int ld;
            Tensor v = t;
            if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= Math.max(cols, 1))) {
                trans = false;
                ld = rows <= 1 ? Math.max(cols, 1) : rs;
            } else if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= Math.max(rows, 1))) {
                trans = true;
                ld = cols <= 1 ? Math.max(rows, 1) : cs;
            } else {
                v = t.detach().contiguous();
                trans = false;
                ld = Math.max(cols, 1);
            }
            int[] shape = v.shape(), st = v.strides();
            int nbr = batch.length, lead = nbr - (r - 2);
            int[] dataStride = new int[nbr], slotStride = new int[nbr];
            int slots = 1;
            for (int j = nbr - 1; j >= 0; j--) {
                int i = j - lead;
                if (i < 0) continue;
                if (shape[i] != 1) {
                    dataStride[j] = st[i];
                    slotStride[j] = slots;
                }
                slots *= shape[i];
            }
            int nb = 1;
            for (int s : batch) nb *= s;
            int[] offs = new int[nb], slotOf = new int[nb];
            int[] idx = new int[nbr];
            int p = v.offset(), q = 0;
            for (int e = 0; e < nb; e++) {
                offs[e] = p;
                slotOf[e] = q;
                for (int d = nbr - 1; d >= 0; d--) {
                    if (++idx[d] < batch[d]) {
                        p += dataStride[d];
                        q += slotStride[d];
                        break;
                    }
                    p -= (batch[d] - 1) * dataStride[d];
                    q -= (batch[d] - 1) * slotStride[d];
                    idx[d] = 0;
                }
            }
            return new Operand(v.data(), ld, trans, offs, slotOf, slots);
        }

        /** Whether the rows of all batch matrices, in order, are one evenly strided run (one flat GEMM). */
        boolean rowsEvenlySpaced(int m) {
            if (trans) return false;
            for (int e = 1; e < offs.length; e++) {
                if (offs[e] != offs[0] + (long) e * m * ld) return false;
            }
            return true;
        }
    }
}
