package ai.tarka.tracking.hpo;

/** Whether lower or higher objective values are better. */
public enum Direction {
    MINIMIZE, MAXIMIZE;

    /** True when {@code a} is better than {@code b}. */
    public boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }

    /** The value as a loss (lower is better). */
    public double asLoss(double v) {
        return this == MINIMIZE ? v : -v;
    }
}
