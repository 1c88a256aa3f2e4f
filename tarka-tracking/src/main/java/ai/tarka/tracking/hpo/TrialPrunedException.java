package ai.tarka.tracking.hpo;

/** Thrown by an objective to stop a trial that {@link TrialContext#report} said to prune. */
public final class TrialPrunedException extends RuntimeException {
    public TrialPrunedException(String message) {
        super(message, null, false, false);
    }
}
