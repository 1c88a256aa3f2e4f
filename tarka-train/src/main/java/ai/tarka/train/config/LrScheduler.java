package ai.tarka.train.config;

/** The {@code lr_scheduler} values: every one warms up linearly over {@code warmup_steps} first. */
public enum LrScheduler {
    /** Half a cosine from the peak down to {@code learning_rate × cosine_min_lr_ratio} at {@code max_steps}. */
    COSINE,
    /** A straight line from the peak down to {@code learning_rate × cosine_min_lr_ratio} at {@code max_steps}. */
    LINEAR,
    /** The peak rate after warm-up. */
    CONSTANT
}
