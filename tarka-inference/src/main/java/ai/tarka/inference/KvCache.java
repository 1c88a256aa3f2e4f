package ai.tarka.inference;

import ai.tarka.kernels.Vec;
import ai.tarka.kernels.quant.PlainRows;

/**
 * One sequence's keys and values, per layer {@code [capacity, kvDim]} row-major, in F32 or F16. Attention reads it
 * through {@link #scores} and {@link #mix}, so the precision stays a detail of this class.
 */
public final class KvCache {
    private final KvPrecision precision;
    private final int capacity;
    private final int kvDim;
    private final float[][] keys, values;
    private final short[][] keys16, values16;

    public KvCache(KvPrecision precision, int layers, int capacity, int kvDim) {
        this.precision = precision;
        this.capacity = capacity;
        this.kvDim = kvDim;
        long floats = (long) capacity * kvDim;
        if (floats > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("KvCache: " + capacity + " positions x " + kvDim + " is too large for one layer's array");
        if (precision == KvPrecision.F32) {
            keys = new float[layers][(int) floats];
            values = new float[layers][(int) floats];
            keys16 = values16 = null;
        } else {
            keys16 = new short[layers][(int) floats];
            values16 = new short[layers][(int) floats];
            keys = values = null;
        }
    }

    public int capacity() {
        return capacity;
    }

    public KvPrecision precision() {
        return precision;
    }

    /** Bytes held. */
    public long bytes() {
        int layers = precision == KvPrecision.F32 ? keys.length : keys16.length;
        return 2L * layers * capacity * kvDim * (precision == KvPrecision.F32 ? 4 : 2);
    }

    /** Stores position {@code pos}'s key and value rows (kvDim floats each). */
    public void write(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        int o = pos * kvDim;
        if (precision == KvPrecision.F32) {
            System.arraycopy(k, kOff, keys[layer], o, kvDim);
            System.arraycopy(v, vOff, values[layer], o, kvDim);
        } else {
            short[] ks = keys16[layer], vs = values16[layer];
            for (int i = 0; i < kvDim; i++) {
                ks[o + i] = Float.floatToFloat16(k[kOff + i]);
                vs[o + i] = Float.floatToFloat16(v[vOff + i]);
            }
        }
    }

    /** {@code out[j − from] = scale · q·key[j]} for positions {@code [from, to)} of KV head slice {@code headOff..+d}. */
    public void scores(int layer, int headOff, int d, float[] q, int qOff, int from, int to, float scale, float[] out) {
        if (precision == KvPrecision.F32) {
            Dots.rowDots(q, qOff, keys[layer], from * kvDim + headOff, kvDim, to - from, d, scale, out);
        } else if (PlainRows.halfVectors() && d % (2 * Vec.L) == 0) {
            Dots.rowDotsF16(q, qOff, keys16[layer], from * kvDim + headOff, kvDim, to - from, d, scale, out);
        } else {
            short[] k = keys16[layer];
            for (int j = from; j < to; j++) {
                int o = j * kvDim + headOff;
                float s = 0;
                for (int i = 0; i < d; i++) s += q[qOff + i] * Float.float16ToFloat(k[o + i]);
                out[j - from] = scale * s;
            }
        }
    }

    /** {@code out[outOff..+d] = Σ_j p[j − from]·value[j]} over positions {@code [from, to)}. */
    public void mix(int layer, int headOff, int d, float[] p, int from, int to, float[] out, int outOff) {
        if (precision == KvPrecision.F32) {
            Dots.weightedRowSum(p, values[layer], from * kvDim + headOff, kvDim, to - from, d, out, outOff);
        } else if (PlainRows.halfVectors() && d % Vec.L == 0) {
            Dots.weightedRowSumF16(p, values16[layer], from * kvDim + headOff, kvDim, to - from, d, out, outOff);
        } else {
            java.util.Arrays.fill(out, outOff, outOff + d, 0f);
            short[] v = values16[layer];
            for (int j = from; j < to; j++) {
                float a = p[j - from];
                int o = j * kvDim + headOff;
                for (int i = 0; i < d; i++) out[outOff + i] += a * Float.float16ToFloat(v[o + i]);
            }
        }
    }
}
