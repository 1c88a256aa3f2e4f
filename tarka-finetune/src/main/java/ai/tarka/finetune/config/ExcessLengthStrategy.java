package ai.tarka.finetune.config;

/**
 * What happens to an example longer than {@code sequence_len} (Axolotl's {@code excess_length_strategy}). Axolotl
 * drops by default, and so does Tarka: a truncated example loses its EOS, and training on examples that never end is
 * how models learn not to stop.
 */
public enum ExcessLengthStrategy {
    /** Leave it out (with a warning counting them). */
    DROP,
    /** Keep its first {@code sequence_len} tokens, EOS cut off (with a warning counting them). */
    TRUNCATE,
    /** Stop before training, naming the first such example. */
    RAISE
}
