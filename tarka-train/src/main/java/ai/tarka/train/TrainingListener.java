package ai.tarka.train;

import java.nio.file.Path;

/** What a running {@link Trainer} reports; the CLI renders it as progress lines. Every method defaults to nothing. */
public interface TrainingListener {

    /** Before the first step: the plan, and the checkpoint resumed from (or {@code null}). */
    default void onStart(TrainPlan plan) {}

    /** After every optimiser step. */
    default void onStep(StepReport report) {}

    /** After every evaluation. */
    default void onEval(EvalReport report) {}

    /** After an evaluation, the scores of the extra evaluation tasks ({@link Trainer#withEvalTasks}). */
    default void onTaskScores(long step, java.util.Map<String, Double> scores) {}

    /** After a checkpoint is in place. */
    default void onCheckpoint(long step, Path dir) {}

    /** A note worth showing (stale temp directories removed, old checkpoints pruned). */
    default void onNote(String text) {}

    /** Before {@link Trainer#run} returns. */
    default void onFinish(TrainSummary summary) {}

    /**
     * @param firstStep      the step number about to run (1 for a fresh run)
     * @param maxSteps       the last step
     * @param tokensPerStep  tokens in one optimiser step
     * @param parameters     trained parameters
     * @param resumedFrom    the checkpoint continued from, or {@code null}
     * @param model          the model's config
     */
    record TrainPlan(long firstStep, long maxSteps, long tokensPerStep, long parameters, Path resumedFrom,
                     ai.tarka.models.ModelConfig model) {}

    /**
     * @param tokensPerSecond trained tokens per second of training time over the last 20 steps
     * @param etaSeconds      estimated training time left at the last 20 steps' pace (evaluations and checkpoints excluded)
     */
    record StepReport(long step, long maxSteps, double loss, double lr, double gradNorm, long tokens,
                      double tokensPerSecond, double etaSeconds) {}

    /** @param sample generated text, or {@code null} when no sample was asked for */
    record EvalReport(long step, double valLoss, double perplexity, String sample) {}

    /**
     * @param steps          the last step reached
     * @param tokens         trained tokens over the whole run (resumed parts included)
     * @param seconds        training wall time over the whole run
     * @param finalTrainLoss loss of the last step
     * @param finalValLoss   last validation loss, NaN if none
     * @param checkpoint     the last checkpoint written, or {@code null}
     */
    record TrainSummary(long steps, long tokens, double seconds, double finalTrainLoss, double finalValLoss,
                        Path checkpoint) {}
}
