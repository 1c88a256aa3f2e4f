package ai.tarka.kernels.quant;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Activation vectors quantised to blocks of 32 (a float scale {@code d = absmax/127} and 32 integers
 * {@code round(x/d)} in [-127, 127]), as llama.cpp quantises the input of a Q8_0/Q4_0 matrix-vector product, so the
 * weight kernels multiply integers and scale once per block. Values are kept widened to shorts: every weight row
 * reads them again, so the widening is paid once per product rather than once per row.
 *
 * <p>Rounding is {@code floor(x/d + 0.5)} (computed as {@code (int) (x·(1/d) + 128.5) − 128}, exact in float for
 * |x/d| ≤ 127), halves rounding up; the buffers grow on first use and are reused afterwards.
 */
public final class Q8Activations {
    public static final int BLOCK = 32;

    private short[] q = new short[0];
    private float[] d = new float[0];
    private float[] sums = new float[0];
    private int cols, batch;

    /** Quantises {@code batch} vectors {@code x[xOff + b·ldx ..+cols]} ({@code cols} a multiple of 32). */
    public void quantize(float[] x, int xOff, int ldx, int batch, int cols) {
        if (cols <= 0 || cols % BLOCK != 0 || batch < 1)
            throw new IllegalArgumentException("Q8Activations.quantize: " + batch + " vectors of " + cols
                    + " values; need at least one vector of a positive multiple of " + BLOCK);
        if (xOff < 0 || xOff + (long) (batch - 1) * ldx + cols > x.length)
            throw new IllegalArgumentException("Q8Activations.quantize: x[" + x.length + "] too small for " + batch
                    + " vectors of " + cols + " at offset " + xOff + " (ldx " + ldx + ")");
        int need = batch * cols;
        if (q.length < need) {
            q = new short[need];
            d = new float[need / BLOCK];
            sums = new float[need / BLOCK];
        }
        this.cols = cols;
        this.batch = batch;
        for (int v = 0; v < batch; v++) {
            int src = xOff + v * ldx, dst = v * cols;
            if (QuantSpecies.ENABLED) quantizeVector(x, src, dst, cols);
            else quantizeScalar(x, src, dst, cols);
        }
    }

    private void quantizeScalar(float[] x, int src, int dst, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[src + b * BLOCK + j]));
            float s = amax / 127f, id = amax != 0 ? 127f / amax : 0f;
            d[dst / BLOCK + b] = s;
            int t = 0;
            for (int j = 0; j < BLOCK; j++) {
                int v = (int) (x[src + b * BLOCK + j] * id + 128.5f) - 128;
                q[dst + b * BLOCK + j] = (short) v;
                t += v;
            }
            sums[dst / BLOCK + b] = s * t;
        }
    }

    private void quantizeVector(float[] x, int src, int dst, int n) {
        int l = Vec.L;
        for (int b = 0; b < n / BLOCK; b++) {
            int s = src + b * BLOCK;
            FloatVector m = FloatVector.fromArray(Vec.F, x, s).abs();
            for (int j = l; j < BLOCK; j += l) m = m.max(FloatVector.fromArray(Vec.F, x, s + j).abs());
            float amax = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
            float scale = amax / 127f;
            d[dst / BLOCK + b] = scale;
            FloatVector id = FloatVector.broadcast(Vec.F, amax != 0 ? 127f / amax : 0f);
            IntVector t = IntVector.zero(QuantSpecies.I);
            for (int j = 0; j < BLOCK; j += l) {
                IntVector r = ((IntVector) FloatVector.fromArray(Vec.F, x, s + j).mul(id).add(128.5f)
                        .convert(VectorOperators.F2I, 0)).sub(128);
                ((ShortVector) r.convertShape(VectorOperators.I2S, QuantSpecies.S, 0)).intoArray(q, dst + b * BLOCK + j);
                t = t.add(r);
            }
            sums[dst / BLOCK + b] = scale * t.reduceLanes(VectorOperators.ADD); // integer sum: exact in any order
        }
    }

    /** Values per vector of the last {@link #quantize}. */
    public int cols() {
        return cols;
    }

    /** Vectors of the last {@link #quantize}. */
    public int batch() {
        return batch;
    }

    /** The integers, vector v at {@code v·cols}. */
    short[] values() {
        return q;
    }

    /** The block scales, vector v at {@code v·cols/32}. */
    float[] scales() {
        return d;
    }

    /** Per block, the dequantised sum {@code d·Σq} (Q4_0's kernel takes its −8 offset out of the loop with it). */
    float[] blockSums() {
        return sums;
    }

    /** Integer {@code i} of vector {@code v} (for tests and scalar paths). */
    public int value(int v, int i) {
        return q[v * cols + i];
    }

    /** Scale of block {@code blk} of vector {@code v}. */
    public float scale(int v, int blk) {
        return d[v * (cols / BLOCK) + blk];
    }
}
