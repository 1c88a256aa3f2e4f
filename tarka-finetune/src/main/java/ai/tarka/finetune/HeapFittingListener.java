package ai.tarka.finetune;

import ai.tarka.train.TrainingListener;
import java.nio.file.Path;
import java.util.Map;

/**
 * Passes every report on to the caller's listener and fits the heap target ({@link HeapTarget}) at the start, with
 * the optimiser state still to come, and again after the first step, when it exists.
 */
final class HeapFittingListener implements TrainingListener {
    private final TrainingListener inner;
    private final long activationBytes;
    private boolean fitted;

    HeapFittingListener(TrainingListener inner, long activationBytes) {
        this.inner = inner == null ? new TrainingListener() {} : inner;
        this.activationBytes = activationBytes;
    }

    @Override
    public void onStart(TrainPlan plan) {
        HeapTarget.fit(activationBytes + HeapTarget.optimiserBytes(plan.parameters()));
        inner.onStart(plan);
    }

    @Override
    public void onStep(StepReport report) {
        if (!fitted) {
            fitted = true;
            HeapTarget.fit(activationBytes); // weights, gradients and optimiser moments all exist now
        }
        inner.onStep(report);
    }

    @Override
    public void onEval(EvalReport report) {
        inner.onEval(report);
    }

    @Override
    public void onTaskScores(long step, Map<String, Double> scores) {
        inner.onTaskScores(step, scores);
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        inner.onCheckpoint(step, dir);
    }

    @Override
    public void onNote(String text) {
        inner.onNote(text);
    }

    @Override
    public void onFinish(TrainSummary summary) {
        inner.onFinish(summary);
    }
}
