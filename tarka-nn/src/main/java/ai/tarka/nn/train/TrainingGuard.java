package ai.tarka.nn.train;

import ai.tarka.engine.NonFiniteException;

/** Stops training on the first non-finite loss instead of letting NaN spread into the weights. */
public final class TrainingGuard {
    private TrainingGuard() {}

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

    static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }
}
