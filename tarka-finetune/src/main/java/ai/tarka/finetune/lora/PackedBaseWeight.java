package ai.tarka.finetune.lora;

import ai.tarka.engine.Tensor;
import ai.tarka.kernels.gemm.Gemms;
import ai.tarka.kernels.gemm.JavaSgemm;
import ai.tarka.kernels.gemm.PackedMatrix;
import ai.tarka.nn.layers.Linear;

/**
 * A frozen fp32 base weight multiplied through copies packed once for the SGEMM ({@link PackedMatrix}): the
 * forward's {@code x·Wᵀ} (a transposing pack, redone on every call otherwise, twice per step with gradient
 * checkpointing) and the input gradient's {@code ∂y·W}. Full fine-tuning has to re-pack in every product because its
 * weights change every step; a frozen base need not. On the 58M-parameter {@code tarka bench finetune} model the
 * packing these save is about 6% of a LoRA step.
 *
 * <p>{@code -Dtarka.lora.prepack} chooses:
 * <ul>
 *   <li>{@code both} (default): both products pre-packed, and the layer's own fp32 weight dropped (as QLoRA drops
 *       it), since the packed copy of {@code ∂y·W}'s operand is W itself in panels: memory stays at two copies of the
 *       frozen weights where a plain LoRA holds one (and full fine-tuning four: weights, gradients and two AdamW
 *       moments). {@link #dense} rebuilds W from it; merging writes it back.</li>
 *   <li>{@code forward}: only {@code x·Wᵀ} pre-packed, the fp32 weight kept.</li>
 *   <li>{@code none}: the plain products.</li>
 * </ul>
 * The packed products are the same sums in the same order as on the unpacked weight, so results do not depend on
 * the setting. Weights are packed when the adapters are added, so the base must be loaded by then (as it always is).
 */
final class PackedBaseWeight implements BaseWeight {
    enum Mode { BOTH, FORWARD, NONE }

    private final JavaSgemm gemm;
    private final int in, out;
    private final PackedMatrix forward, backward;
    private final boolean dropped;

    private PackedBaseWeight(JavaSgemm gemm, Linear layer, PackedMatrix forward, PackedMatrix backward, boolean dropped) {
        this.gemm = gemm;
        this.in = layer.inFeatures();
        this.out = layer.outFeatures();
        this.forward = forward;
        this.backward = backward;
        this.dropped = dropped;
    }

    /** The {@code -Dtarka.lora.prepack} setting. */
    static Mode mode() {
        String v = System.getProperty("tarka.lora.prepack", "both");
        return switch (v) {
            case "both" -> Mode.BOTH;
            case "forward" -> Mode.FORWARD;
            case "none" -> Mode.NONE;
            default -> throw new IllegalArgumentException("-Dtarka.lora.prepack=" + v + ": expected both, forward or none");
        };
    }

    /**
     * The frozen base of {@code layer} packed as {@link #mode()} says, or {@link BaseWeight#PLAIN} when nothing is to
     * be packed (mode none, a GEMM backend other than the pure-Java one, or a weight not stored densely).
     *
     * @param mayDrop whether the layer's fp32 weight may be dropped; when not (DoRA reads it in every forward) only
     *                {@code x·Wᵀ} is pre-packed, so the layer still holds two copies and not three
     */
    static BaseWeight of(Linear layer, boolean mayDrop) {
        Mode mode = mode();
        Tensor w = layer.weight().tensor().detach();
        if (mode == Mode.NONE || !(Gemms.get() instanceof JavaSgemm gemm) || !w.isContiguous() || layer.weight().requiresGrad()) {
            return PLAIN;
        }
        int in = layer.inFeatures(), out = layer.outFeatures();
        PackedMatrix fwd = gemm.pack(true, in, out, w.data(), w.offset(), in);            // op(B) = Wᵀ [in × out]
        boolean drop = mode == Mode.BOTH && mayDrop && layer.weight().buffer() == null;
        PackedMatrix bwd = drop ? gemm.pack(false, out, in, w.data(), w.offset(), in) : null; // W [out × in]
        if (drop) {
            int[] shape = layer.weight().shape();
            layer.weight().replaceValue(new Tensor(new float[1], 0, shape, new int[shape.length])); // holds no storage
        }
        return new PackedBaseWeight(gemm, layer, fwd, bwd, drop);
    }

    @Override
    public Tensor dense(Linear layer) {
        return dropped ? Tensor.of(backward.toArray(), out, in) : PLAIN.dense(layer);
    }

    @Override
    public void multiply(Linear layer, float[] x, int xOff, int n, float[] y) {
        gemm.sgemm(false, n, 1f, x, xOff, in, forward, 0f, y, 0, out);
    }

    @Override
    public void multiplyGradient(Linear layer, float[] gy, int gyOff, int n, float[] gx) {
        if (backward == null) {
            PLAIN.multiplyGradient(layer, gy, gyOff, n, gx);
        } else {
            gemm.sgemm(false, n, 1f, gy, gyOff, out, backward, 0f, gx, 0, in);
        }
    }

}
