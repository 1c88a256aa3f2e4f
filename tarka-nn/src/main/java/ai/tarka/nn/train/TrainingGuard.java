package ai.tarka.nn.train;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.engine.Shapes;
import ai.tarka.kernels.ComputePool;
import ai.tarka.kernels.optim.GradientKernels;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.TrainableRuns;
import java.util.concurrent.atomic.AtomicInteger;

/** Stops training on the first non-finite loss or weight instead of letting NaN spread into the weights. */
public final class TrainingGuard {
    private TrainingGuard() {}

    /** Floats scanned per parallel chunk of {@link #checkWeights}. */
    private static final int WEIGHT_GRAIN = 1 << 16;

    /** Throws {@code NonFiniteException("loss is NaN at step 123")} unless {@code loss} is finite. */
    public static double checkLoss(double loss, long step) {
        if (!Double.isFinite(loss)) throw new NonFiniteException("loss is " + describe(loss) + " at step " + step);
        return loss;
    }

    /** As {@link #checkLoss(double, long)}, naming the micro-batch within the step. */
    public static double checkLoss(double loss, long step, int microBatch) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss is " + describe(loss) + " at step " + step + " (micro-batch " + microBatch + ")");
        }
        return loss;
    }

    /**
     * Throws {@code NonFiniteException} naming the parameter, the flat index within it and the step
     * when a trained weight is NaN or infinite. Such a weight need not show in any loss or gradient
     * (an embedding row no token of the batch uses), yet the optimiser would carry it on for good.
     * Reports the first bad weight in layout order, whatever the thread count.
     */
    public static void checkWeights(ParameterBuffer buffer, TrainableRuns trained, long step) {
        float[] v = buffer.values();
        AtomicInteger first = new AtomicInteger(Integer.MAX_VALUE);
        ComputePool.shared().parallelFor(trained.total(), WEIGHT_GRAIN, (from, to) ->
                trained.forEachPiece(from, to, (run, off, packed, n) -> {
                    int i = GradientKernels.indexOfNonFinite(v, off, n);
                    if (i >= 0) first.accumulateAndGet(off + i, Math::min);
                }));
        int at = first.get();
        if (at == Integer.MAX_VALUE) return;
        ParameterBuffer.Slot s = buffer.slotAt(at);
        throw new NonFiniteException("weight of parameter '" + s.name() + "' " + Shapes.str(s.shape()) + " is "
                + v[at] + " at flat index " + (at - s.offset()) + " at step " + step);
    }

    static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }
}
