package ai.tarka.engine;

import ai.tarka.kernels.rope.Rotary;
import java.util.Arrays;

/** Rotary position embedding of queries or keys. */
public final class Rope {
    private Rope() {}

    /**
     * Rotates each channel pair of {@code x [B, H, T, D]} by {@code positions·θ}. {@code positions}
     * has length T (the same positions for every sample) or B·T (per sample, row-major [B, T], for
     * packed or left-padded batches). x may be a strided view such as a transposed {@code [B, T, H, D]}
     * projection; it is read in place when its last dimension has unit stride. The result is
     * contiguous; backward rotates the gradient by the opposite angles.
     *
     * @throws ShapeException if x is not rank 4, D differs from the table's head dimension, the number
     *                        of positions fits neither T nor B·T, or a position is outside the table
     */
    public static Tensor apply(Tensor x, int[] positions, RopeTable table, RopeStyle style) {
        int[] shape = x.shape();
        if (shape.length != 4) throw new ShapeException("rope", "expects x of shape [B, H, T, D]", shape);
        int b = shape[0], h = shape[1], t = shape[2], d = shape[3];
        if (d != table.headDim()) {
            throw new ShapeException("rope", "last dimension " + d + " differs from the table's headDim "
                    + table.headDim(), shape);
        }
        boolean perSample;
        if (positions.length == t) perSample = false;
        else if (positions.length == b * t) perSample = true;
        else {
            throw new ShapeException("rope", positions.length + " positions fit neither T = " + t
                    + " nor B*T = " + (b * t), shape);
        }
        int[] pos = positions.clone();
        for (int i = 0; i < pos.length; i++) {
            if (pos[i] < 0 || pos[i] >= table.maxPositions()) {
                throw new ShapeException("rope", "position " + pos[i] + " at index " + i + " is outside the table's [0, "
                        + table.maxPositions() + ")", shape);
            }
        }
        Tensor src = x.stride(3) == 1 ? x : Tensor.of(x.toArray(), shape);
        int[] st = src.strides();
        boolean interleaved = style == RopeStyle.INTERLEAVED;
        float[][] tables = interleaved ? table.interleavedTables() : new float[][] {table.cosTable(), table.sinTable()};
        float[] out = new float[x.numel()];
        float[] cos = tables[0], sin = tables[1];
        if (interleaved) {
            Rotary.forwardInterleaved(out, src.data(), src.offset(), st[0], st[1], st[2], cos, sin, pos, perSample, b, h, t, d);
        } else {
            Rotary.forwardHalf(out, src.data(), src.offset(), st[0], st[1], st[2], cos, sin, pos, perSample, b, h, t, d);
        }
        return Tensor.record("rope", Tensor.of(out, shape), g -> {
            float[] dx = new float[out.length];
            float[] gd = KernelArrays.dense(g);
            if (interleaved) Rotary.backwardInterleaved(dx, gd, cos, sin, pos, perSample, b, h, t, d);
            else Rotary.backwardHalf(dx, gd, cos, sin, pos, perSample, b, h, t, d);
            x.accumulateGradOwned(Tensor.of(dx, shape));
        }, x);
    }

    /** The positions {@code start, start+1, ..., start+T−1}, shared by every sample (e.g. decoding after a cache). */
    public static int[] positions(int start, int t) {
        int[] p = new int[t];
        Arrays.setAll(p, i -> start + i);
        return p;
    }
}
