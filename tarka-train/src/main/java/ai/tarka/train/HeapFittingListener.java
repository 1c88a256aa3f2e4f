package ai.tarka.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Passes every report on to the caller's listener and fits the heap target ({@link HeapTarget}) at the start, with
 * the optimiser state still to come, and again after the first step, when it exists.
 */
public final class HeapFittingListener implements TrainingListener {
    private final TrainingListener inner;
    private final ToLongFunction<TrainPlan> activations;
    private final long minHeadroom;
    private long activationBytes;
    private boolean fitted;

    /**
     * @param activations a step's activation bytes ({@link HeapTarget#activationBytes}) for the plan, whose model
     *                    config the trainer knows only once it has built the model
     */
    public HeapFittingListener(TrainingListener inner, ToLongFunction<TrainPlan> activations) {
        this(inner, activations, 0);
    }

    /** @param minHeadroom the least room left above the live heap ({@link HeapTarget#fit(long, long)}) */
    public HeapFittingListener(TrainingListener inner, ToLongFunction<TrainPlan> activations, long minHeadroom) {
        this.inner = inner == null ? new TrainingListener() {} : inner;
        this.activations = activations;
        this.minHeadroom = minHeadroom;
    }

    @Override
    public void onStart(TrainPlan plan) {
        activationBytes = activations.applyAsLong(plan);
        HeapTarget.fit(activationBytes + HeapTarget.optimiserBytes(plan.parameters()), minHeadroom);
        inner.onStart(plan);
    }

    @Override
    public void onStep(StepReport report) {
        if (!fitted) {
            fitted = true;
            HeapTarget.fit(activationBytes, minHeadroom); // weights, gradients and optimiser moments all exist now
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
