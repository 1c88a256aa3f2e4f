package ai.tarka.finetune.qlora;

import ai.tarka.engine.Tensor;
import ai.tarka.finetune.lora.BaseWeight;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.Vec;
import ai.tarka.kernels.quant.Nf4;
import ai.tarka.kernels.quant.Nf4Scales;
import ai.tarka.nn.layers.Linear;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * A frozen linear weight {@code [out, in]} stored as QLoRA's NF4 (blocks of 64 along each row, absmax scales
 * double-quantised to 8 bits in groups of 256 blocks; the kernels' {@link Nf4} layout). Rows whose length is not a
 * multiple of 64 are zero-padded to one. The products dequantise on the fly: forward {@code y = x·Wᵀ} decodes each
 * weight row once into a per-worker scratch and dots it with every input row; backward {@code ∂x = ∂y·W} decodes one strip of 64-column blocks of a row at a time into
 * a per-worker scratch and accumulates it into the input gradient (workers own disjoint column strips). W never
 * receives a gradient.
 */
public final class Nf4Weight implements BaseWeight {
    private final int out;
    private final int in;
    private final int inPadded;
    private final int blocksPerRow;
    private final MemorySegment codes;
    private final Nf4Scales scales;

    private Nf4Weight(int out, int in, int inPadded, MemorySegment codes, Nf4Scales scales) {
        this.out = out;
        this.in = in;
        this.inPadded = inPadded;
        this.blocksPerRow = inPadded / Nf4.BLOCK;
        this.codes = codes;
        this.scales = scales;
    }

    /** Quantises a row-major {@code [out, in]} matrix. */
    public static Nf4Weight quantize(float[] w, int out, int in) {
        if (w.length != out * in) throw new IllegalArgumentException("Nf4Weight.quantize: " + w.length + " values for [" + out + ", " + in + "]");
        int padded = (in + Nf4.BLOCK - 1) / Nf4.BLOCK * Nf4.BLOCK;
        float[] src = w;
        if (padded != in) {
            src = new float[out * padded];
            for (int o = 0; o < out; o++) System.arraycopy(w, o * in, src, o * padded, in);
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[out * padded / 2]);
        Nf4Scales s = Nf4.quantize(src, out, padded, seg, 0);
        return new Nf4Weight(out, in, padded, seg, s);
    }

    /** Quantises a linear layer's current weight. */
    public static Nf4Weight of(Linear layer) {
        return quantize(layer.weight().tensor().contiguous().toArray(), layer.outFeatures(), layer.inFeatures());
    }

    public int outFeatures() {
        return out;
    }

    public int inFeatures() {
        return in;
    }

    public Nf4Scales scales() {
        return scales;
    }

    /** Bytes of the stored weight: 4-bit codes, 8-bit block scales and fp32 group scales. */
    public long storageBytes() {
        return codes.byteSize() + scales.codes().length + 4L * scales.groupScales().length + 4;
    }

    /** The dequantised weight {@code [out, in]}. */
    public float[] dequantize() {
        float[] row = new float[inPadded], w = new float[out * in];
        for (int o = 0; o < out; o++) {
            Nf4.dequantize(codes, (long) o * inPadded / 2, scales, o * blocksPerRow, row, 0, inPadded);
            System.arraycopy(row, 0, w, o * in, in);
        }
        return w;
    }

    @Override
    public Tensor dense(Linear layer) {
        return Tensor.of(dequantize(), out, in);
    }

    @Override
    public Tensor matmul(Linear layer, Tensor x) {
        if (x.size(-1) != in) {
            throw new ai.tarka.engine.ShapeException("Nf4Weight.matmul", "input's last dimension must be in_features=" + in,
                    x.shape(), new int[] {out, in});
        }
        int n = x.numel() / in;
        float[] xp = padded(x.contiguous().toArray(), n);
        float[] y = new float[n * out];
        ComputePool.shared().parallelFor(out, Math.max(1, 4096 / Math.max(1, n * blocksPerRow)), (s, e) -> forwardRows(xp, n, y, s, e));
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor result = Tensor.of(y, shape);
        return Tensor.record("nf4_matmul", result, g -> x.accumulateGradOwned(inputGrad(g.contiguous().toArray(), n, x.shape())), x);
    }

    private float[] padded(float[] x, int n) {
        if (inPadded == in) return x;
        float[] p = new float[n * inPadded];
        for (int r = 0; r < n; r++) System.arraycopy(x, r * in, p, r * inPadded, in);
        return p;
    }

    /** Output rows {@code [start, end)}: each weight row is decoded once into a scratch, then dotted with every input row. */
    private void forwardRows(float[] x, int n, float[] y, int start, int end) {
        float[] row = new float[inPadded];
        for (int o = start; o < end; o++) {
            Nf4.dequantize(codes, (long) o * inPadded / 2, scales, o * blocksPerRow, row, 0, inPadded);
            for (int r = 0; r < n; r++) y[r * out + o] = dot(row, x, r * inPadded, inPadded);
        }
    }

    /** {@code a[0..len) · b[off..off+len)} with two accumulators. */
    static float dot(float[] a, float[] b, int off, int len) {
        int i = 0;
        float sum = 0;
        if (Vec.ENABLED) {
            FloatVector acc0 = FloatVector.zero(Vec.F), acc1 = FloatVector.zero(Vec.F);
            int step = 2 * Vec.L, bound = len - len % step;
            for (; i < bound; i += step) {
                acc0 = FloatVector.fromArray(Vec.F, a, i).fma(FloatVector.fromArray(Vec.F, b, off + i), acc0);
                acc1 = FloatVector.fromArray(Vec.F, a, i + Vec.L).fma(FloatVector.fromArray(Vec.F, b, off + i + Vec.L), acc1);
            }
            sum = Vec.sum(acc0.add(acc1));
        }
        for (; i < len; i++) sum += a[i] * b[off + i];
        return sum;
    }

    /** {@code ∂x = ∂y · W}, workers splitting the 64-column blocks. */
    private Tensor inputGrad(float[] gy, int n, int[] xShape) {
        float[] gx = new float[n * inPadded];
        ComputePool.shared().parallelFor(blocksPerRow, 1, (s, e) -> {
            float[] strip = new float[(e - s) * Nf4.BLOCK];
            int c0 = s * Nf4.BLOCK, width = strip.length;
            for (int o = 0; o < out; o++) {
                Nf4.dequantize(codes, (long) o * inPadded / 2 + (long) s * Nf4.BLOCK_BYTES, scales, o * blocksPerRow + s, strip, 0, width);
                for (int r = 0; r < n; r++) {
                    float g = gy[r * out + o];
                    if (g != 0f) axpy(g, strip, gx, r * inPadded + c0, width);
                }
            }
        });
        float[] result = gx;
        if (inPadded != in) {
            result = new float[n * in];
            for (int r = 0; r < n; r++) System.arraycopy(gx, r * inPadded, result, r * in, in);
        }
        return Tensor.of(result, xShape);
    }

    /** {@code dst[off..off+len) += a · src[0..len)}. */
    static void axpy(float a, float[] src, float[] dst, int off, int len) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector av = FloatVector.broadcast(Vec.F, a);
            int bound = Vec.loopBound(len);
            for (; i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, src, i).fma(av, FloatVector.fromArray(Vec.F, dst, off + i)).intoArray(dst, off + i);
            }
        }
        for (; i < len; i++) dst[off + i] += a * src[i];
    }
}
