package ai.tarka.finetune.qlora;

import ai.tarka.engine.Tensor;
import ai.tarka.finetune.lora.BaseWeight;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.quant.Nf4;
import ai.tarka.kernels.quant.Nf4Scales;
import ai.tarka.nn.layers.Linear;
import ai.tarka.kernels.gemm.Gemm;
import ai.tarka.kernels.gemm.Gemms;
import java.lang.foreign.MemorySegment;

/**
 * A frozen linear weight {@code [out, in]} stored as QLoRA's NF4 (blocks of 64 along each row, absmax scales
 * double-quantised to 8 bits in groups of 256 blocks; the kernels' {@link Nf4} layout). Rows whose length is not a
 * multiple of 64 are zero-padded to one. The products dequantise on the fly, as bitsandbytes does: a strip of rows
 * of W (the whole weight when it fits in about 4 MiB) is decoded into a per-thread scratch shared by every NF4
 * layer, and the engine's SGEMM multiplies with it, forward {@code y = x·Wᵀ} and backward {@code ∂x = ∂y·W}. So the
 * products run at GEMM speed, and the only fp32 copy of a base weight alive is that one strip. W never receives a
 * gradient.
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
        return BaseWeight.frozenProduct(this, layer, in, out, x);
    }

    @Override
    public void multiply(Linear layer, float[] x, int xOff, int n, float[] y) {
        float[] tile = Nf4Scratch.tile(tileRows() * inPadded);
        Gemm gemm = Gemms.get();
        for (int o0 = 0; o0 < out; o0 += tileRows()) {
            int rows = Math.min(tileRows(), out - o0);
            decodeRows(o0, rows, tile);
            // y[:, o0..o0+rows) = x · W_stripᵀ; the zero-padded columns of W are never read (k = in)
            gemm.sgemm(false, true, n, rows, in, 1f, x, xOff, in, tile, 0, inPadded, 0f, y, o0, out);
        }
    }

    @Override
    public void multiplyGradient(Linear layer, float[] gy, int gyOff, int n, float[] gx) {
        float[] tile = Nf4Scratch.tile(tileRows() * inPadded);
        Gemm gemm = Gemms.get();
        for (int o0 = 0; o0 < out; o0 += tileRows()) {
            int rows = Math.min(tileRows(), out - o0);
            decodeRows(o0, rows, tile);
            gemm.sgemm(false, false, n, in, rows, 1f, gy, gyOff + o0, out, tile, 0, inPadded, o0 == 0 ? 0f : 1f, gx, 0, in);
        }
    }

    /**
     * Weight rows decoded per GEMM: the whole weight when it is small, else strips of about 4 MiB, so the scratch
     * stays bounded for wide models while each GEMM is still large enough to run at full speed.
     */
    private int tileRows() {
        return Math.max(1, Math.min(out, (1 << 20) / inPadded));
    }

    /** Decodes weight rows {@code [o0, o0+rows)} into {@code tile} (row stride {@code inPadded}), workers splitting the rows. */
    private void decodeRows(int o0, int rows, float[] tile) {
        ComputePool.shared().parallelFor(rows, Math.max(1, 8192 / inPadded), (s, e) -> {
            for (int o = s; o < e; o++) {
                Nf4.dequantize(codes, (long) (o0 + o) * inPadded / 2, scales, (o0 + o) * blocksPerRow, tile, o * inPadded, inPadded);
            }
        });
    }
}
