package ai.tarka.tracking.hpo;

/**
 * What a study optimises. A training objective runs the trainer with {@link TrialContext#params()} overriding
 * its config, seeds it with {@link TrialContext#seed()}, calls {@link TrialContext#report} with the validation
 * loss at every evaluation and stops early when that returns true, then returns the final value.
 */
@FunctionalInterface
public interface Objective {
    double evaluate(TrialContext trial) throws Exception;
}
