package ai.tarka.train;

import ai.tarka.train.config.TrainConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of the config keys that shape the loss curve (model, data, batch shape, optimiser, seed). Keys that do not
 * (output_dir, max_steps, eval/save/logging cadence, samples) are left out, so a run may be resumed with a new step
 * budget or another output directory, but not with another learning rate or batch size.
 */
public final class ConfigFingerprint {
    private ConfigFingerprint() {}

    public static String of(TrainConfig c) {
        String canonical = String.join("\n",
                "base_model=" + c.baseModel(),
                "model=" + c.model(),
                "data=" + c.data(),
                "sequence_len=" + c.sequenceLen(),
                "micro_batch_size=" + c.microBatchSize(),
                "gradient_accumulation_steps=" + c.gradientAccumulationSteps(),
                "learning_rate=" + c.learningRate(),
                "lr_scheduler=" + c.lrScheduler(),
                "cosine_min_lr_ratio=" + c.cosineMinLrRatio(),
                "warmup_steps=" + c.warmupSteps(),
                "weight_decay=" + c.weightDecay(),
                "adam=" + c.adamBeta1() + "," + c.adamBeta2() + "," + c.adamEpsilon(),
                "max_grad_norm=" + c.maxGradNorm(),
                "seed=" + c.seed(),
                "dropout=" + c.dropout());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
