package ai.tarka.train;

import ai.tarka.models.ModelConfig;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Keeps the Java heap near what a training or fine-tuning run really holds. A training step allocates its activations and
 * gradients afresh, so a throughput-sizing collector lets the heap grow with that garbage, far past the live set:
 * LoRA and QLoRA, whose live set is small, then pay in resident memory for garbage and not for weights. Before the
 * first step {@link #fit} measures the live heap (the model) and sets the collector's soft heap target
 * ({@code SoftMaxHeapSize}) to it plus a margin, the gradients and AdamW moments still to come and the step's
 * estimated activations; after the first optimiser step, when all of those exist, it fits the target again to the
 * measured live set (live × 1.25 + activations, times {@link #scale()}). The target is soft: a step that needs more still gets it, so nothing fails; ZGC (which the launcher
 * picks for training and fine-tuning) collects to stay under it, other collectors ignore it.
 */
public final class HeapTarget {
    private HeapTarget() {}

    /** Bytes a step's activations and their gradients peak at, roughly: logits and their gradient, saved block inputs, one block. */
    public static long activationBytes(ModelConfig c, long tokens, boolean checkpointing) {
        long c1 = c.hiddenSize(), h = c.intermediateSize();
        long block = tokens * (16 * c1 + 4 * h);                  // one block's saved tensors (attention, MLP)
        long logits = 3 * tokens * c.vocabSize();                 // logits, softmax backward, their gradient
        long blocks = checkpointing ? tokens * c1 * c.numLayers() + 2 * block : block * (c.numLayers() + 1);
        return 4 * (logits + blocks);
    }

    /**
     * {@code -Dtarka.train.heapTargetScale} (or its older name {@code tarka.finetune.heapTargetScale}) multiplies the
     * target; 0 leaves the heap to the collector's own sizing.
     * The default 1.3 was measured on the 58M-parameter {@code tarka bench finetune} model on 2 cores: at 1.0 ZGC's
     * collections cost LoRA about a quarter of its step's CPU time (it ran about as long as full fine-tuning); at 1.3
     * LoRA's and QLoRA's peak RSS stayed the same (about 0.9 GiB) and LoRA's step fell to 85% of full's CPU time,
     * while full fine-tuning's peak rose from 2.2 to 2.7 GiB (3.2 GiB with the collector's own sizing).
     */
    static double scale() {
        String v = System.getProperty("tarka.train.heapTargetScale", System.getProperty("tarka.finetune.heapTargetScale", "1.3"));
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dtarka.train.heapTargetScale=" + v + " is not a number", e);
        }
    }

    /** Gradients and AdamW's two moments of the trained parameters, allocated by the first step: 12 bytes each. */
    public static long optimiserBytes(long trainedParameters) {
        return 12 * trainedParameters;
    }

    /**
     * Measures the live heap and sets the soft heap target to {@code scale × (live × 1.25 + extra)}.
     *
     * @param extraBytes what the run will still allocate and keep (activations; before the first step also
     *                   {@link #optimiserBytes})
     * @return the target in bytes, or -1 when this JVM does not let it be set
     */
    public static long fit(long extraBytes) {
        return fit(extraBytes, 0);
    }

    /**
     * As {@link #fit(long)}, with at least {@code minHeadroomBytes} between the live heap and the target. A small
     * model's step allocates far more than its live set and than the activation estimate (attention scratch,
     * temporaries): with the scaled target alone ZGC collected several times per step and pretraining the
     * shakespeare-char recipe ran at half speed; a headroom of 1 GiB costs it under 10%.
     */
    public static long fit(long extraBytes, long minHeadroomBytes) {
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long max = Runtime.getRuntime().maxMemory();
        double scale = scale();
        if (scale <= 0) return -1;
        long target = Math.min(max, Math.max(live + minHeadroomBytes, (long) (scale * (live + live / 4 + extraBytes))));
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("SoftMaxHeapSize", Long.toString(target));
            return target;
        } catch (RuntimeException notSettable) {
            return -1;
        }
    }
}
