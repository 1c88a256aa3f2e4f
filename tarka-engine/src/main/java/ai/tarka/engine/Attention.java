package ai.tarka.engine;

import ai.tarka.kernels.attention.AttentionMaskSpec;
import ai.tarka.kernels.attention.AttentionShape;
import ai.tarka.kernels.attention.FlashAttention;

/**
 * Scaled-dot-product attention {@code softmax(scale · q·kᵀ + mask) · v} on the fused kernel
 * ({@link FlashAttention}): the {@code T × S} score matrix is never stored, forward or backward.
 */
public final class Attention {
    private Attention() {}

    private static final String OP = "scaledDotProduct";

    /** {@link #scaledDotProduct(Tensor, Tensor, Tensor, AttentionMask, float)} with scale {@code 1/√D}. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, AttentionMask mask) {
        if (q.dim() != 4) throw new ShapeException(OP, "q must have rank 4 [B, Hq, T, D]", q.shape(), k.shape(), v.shape());
        return scaledDotProduct(q, k, v, mask, (float) (1 / Math.sqrt(q.size(3))));
    }

    /**
     * Attention of queries {@code q [B, Hq, T, D]} over keys {@code k} and values {@code v [B, Hkv, S, D]};
     * returns {@code [B, Hq, T, D]}. {@code Hq} must be a multiple of {@code Hkv} (grouped-query
     * attention: query head {@code h} uses kv head {@code h / (Hq/Hkv)}). Any view layout is accepted
     * (non-contiguous inputs are copied once). Records one autograd node whose backward runs the fused
     * backward kernel from the saved per-row log-sum-exp; the output's storage is saved too, so it must
     * not be modified in place before backward.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, AttentionMask mask, float scale) {
        AttentionShape shape = checkShapes(q, k, v, mask, scale);
        AttentionMaskSpec spec = mask.spec();
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
        float[] qa = dense(qc), ka = dense(kc), va = dense(vc);
        float[] o = new float[shape.queryElements()], lse = new float[shape.rows()];
        FlashAttention.shared().forward(shape, spec, scale, qa, ka, va, o, lse);
        int[] qShape = q.shape(), kShape = k.shape();
        Tensor out = Tensor.of(o, qShape);
        return Tensor.record(OP, out, g -> {
            float[] dO = dense(g.contiguous());
            float[] dq = new float[shape.queryElements()];
            float[] dk = new float[shape.keyElements()], dv = new float[shape.keyElements()];
            FlashAttention.shared().backward(shape, spec, scale, qa, ka, va, o, lse, dO, dq, dk, dv);
            qc.accumulateGradOwned(Tensor.of(dq, qShape));
            kc.accumulateGradOwned(Tensor.of(dk, kShape));
            vc.accumulateGradOwned(Tensor.of(dv, kShape));
        }, qc, kc, vc);
    }

    private static AttentionShape checkShapes(Tensor q, Tensor k, Tensor v, AttentionMask mask, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4) {
            throw new ShapeException(OP, "q, k and v must have rank 4: q [B, Hq, T, D], k and v [B, Hkv, S, D]", qs, ks, vs);
        }
        if (qs[0] != ks[0] || qs[0] != vs[0]) throw new ShapeException(OP, "batch sizes differ", qs, ks, vs);
        if (ks[1] != vs[1] || ks[2] != vs[2]) throw new ShapeException(OP, "k and v must have the same heads and length", qs, ks, vs);
        if (qs[3] != ks[3] || qs[3] != vs[3]) throw new ShapeException(OP, "head sizes D differ", qs, ks, vs);
        for (int[] s : new int[][] {qs, ks}) {
            for (int x : s) if (x < 1) throw new ShapeException(OP, "every dimension must be at least 1", qs, ks, vs);
        }
        if (qs[1] % ks[1] != 0) {
            throw new ShapeException(OP, "query heads " + qs[1] + " are not a multiple of kv heads " + ks[1], qs, ks, vs);
        }
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new ShapeException(OP, "scale must be positive and finite, got " + scale, qs, ks, vs);
        }
        if (mask == null) throw new ShapeException(OP, "mask is null (use AttentionMask.none())", qs, ks, vs);
        mask.check(OP, qs[0], qs[2], ks[2], qs, ks, vs);
        if ((long) qs[0] * qs[1] * qs[2] * qs[3] > Integer.MAX_VALUE) {
            throw new ShapeException(OP, "q has more than 2^31 elements", qs, ks, vs);
        }
        return new AttentionShape(qs[0], qs[1], ks[1], qs[2], ks[2], qs[3]);
    }

    /** The tensor's values as one row-major array, without copying when its storage already is exactly that. */
    private static float[] dense(Tensor t) {
        float[] d = t.data();
        return t.isContiguous() && t.offset() == 0 && d.length == t.numel() ? d : t.toArray();
    }
}
