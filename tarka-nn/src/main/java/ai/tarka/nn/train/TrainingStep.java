package ai.tarka.nn.train;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.engine.Tensor;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TrainableRuns;
import ai.tarka.nn.optim.GradClip;
import ai.tarka.nn.optim.Optimizer;
import java.util.function.Supplier;

/**
 * One guarded optimiser step over any number of micro-batches:
 * <pre>
 * for (micro-batch : batch) step.microBatch(() -> model.loss(micro), trainedTokens(micro));
 * StepStats s = step.finish();   // normalise by total tokens, clip, update, zero gradients
 * </pre>
 * Pass the forward pass as a supplier, so that a NaN it reports itself (cross-entropy throws on a
 * non-finite loss) is named with the step too.
 * Every micro-batch loss is checked before its backward pass, the gradient norm and the trained
 * weights before the update; a NaN or infinity throws {@link NonFiniteException} naming the step
 * (and micro-batch or parameter) and leaves the weights and optimiser state untouched. Training
 * never silently continues; a caller that wants to skip the batch calls {@link #reset()} and goes on.
 */
public final class TrainingStep {
    private final ParameterBuffer buffer;
    private final Optimizer optimizer;
    private final double maxGradNorm;
    private final GradientAccumulator accumulator;
    private final TrainableRuns trained;

    /**
     * @param maxGradNorm clipping threshold; {@code Double.POSITIVE_INFINITY} measures the norm (and
     *                    checks it is finite) without clipping
     */
    public TrainingStep(Optimizer optimizer, double maxGradNorm) {
        if (!(maxGradNorm > 0)) throw new IllegalArgumentException("TrainingStep: maxGradNorm must be > 0, got " + maxGradNorm);
        this.optimizer = optimizer;
        this.buffer = optimizer.buffer();
        this.maxGradNorm = maxGradNorm;
        this.accumulator = new GradientAccumulator(buffer);
        this.trained = TrainableRuns.of(buffer);
        accumulator.begin();
    }

    /** The number of the step being accumulated (1-based, as the schedule counts). */
    public long currentStep() {
        return optimizer.stepCount() + 1;
    }

    /** Back-propagates one micro-batch whose loss is the mean over its {@code trainedTokens} tokens. */
    public void microBatch(Tensor meanLoss, long trainedTokens) {
        int micro = accumulator.microBatches() + 1;
        if (trainedTokens > 0) TrainingGuard.checkLoss(meanLoss.item(), currentStep(), micro);
        try {
            accumulator.addMeanLoss(meanLoss, trainedTokens);
        } catch (NonFiniteException e) {
            throw withStep(e, " (micro-batch " + micro + ")");
        }
    }

    /**
     * Runs {@code forward}, which computes one micro-batch's MEAN loss, and back-propagates it. A
     * {@link NonFiniteException} from the forward pass itself is rethrown naming the step and the
     * micro-batch.
     */
    public void microBatch(Supplier<Tensor> forward, long trainedTokens) {
        microBatch(runForward(forward), trainedTokens);
    }

    /** {@link #microBatch(Supplier, long)} for a forward pass that computes a SUM loss. */
    public void microBatchSum(Supplier<Tensor> forward, long trainedTokens) {
        microBatchSum(runForward(forward), trainedTokens);
    }

    private Tensor runForward(Supplier<Tensor> forward) {
        try {
            return forward.get();
        } catch (NonFiniteException e) {
            throw withStep(e, " (micro-batch " + (accumulator.microBatches() + 1) + ")");
        }
    }

    /** Back-propagates one micro-batch whose loss is the sum over its {@code trainedTokens} tokens. */
    public void microBatchSum(Tensor sumLoss, long trainedTokens) {
        int micro = accumulator.microBatches() + 1;
        if (trainedTokens > 0) TrainingGuard.checkLoss(sumLoss.item(), currentStep(), micro);
        try {
            accumulator.addSumLoss(sumLoss, trainedTokens);
        } catch (NonFiniteException e) {
            throw withStep(e, " (micro-batch " + micro + ")");
        }
    }

    /** Normalises, checks, clips, updates and zeroes the gradients for the next step. */
    public StepStats finish() {
        long step = currentStep();
        int micro = accumulator.microBatches();
        long tokens = accumulator.tokens();
        double loss = TrainingGuard.checkLoss(accumulator.finish(), step);
        double norm;
        try {
            norm = GradClip.clipGlobalNorm(buffer, maxGradNorm);
        } catch (NonFiniteException e) {
            throw withStep(e, "");
        }
        TrainingGuard.checkWeights(buffer, trained, step);
        optimizer.step();
        accumulator.begin();
        return new StepStats(step, loss, norm, optimizer.lastLr(), tokens, micro);
    }

    /** The backward pass's or clipping's NaN report, with the step number appended. */
    private NonFiniteException withStep(NonFiniteException e, String where) {
        NonFiniteException out = new NonFiniteException(e.getMessage() + " at step " + currentStep() + where);
        out.initCause(e);
        return out;
    }

    /** Drops the gradients accumulated so far (after a failed step the caller chose to skip). */
    public void reset() {
        accumulator.begin();
    }
}
