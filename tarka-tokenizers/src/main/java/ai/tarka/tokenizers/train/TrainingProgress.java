package ai.tarka.tokenizers.train;

/** Reports how far BPE training has got; called from the training thread. */
@FunctionalInterface
public interface TrainingProgress {
    TrainingProgress NONE = (done, total) -> {};

    /** {@code done} of at most {@code total} merges are learnt (training may stop early, below the minimum frequency). */
    void merges(int done, int total);
}
