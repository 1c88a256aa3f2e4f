package ai.tarka.tracking.hpo;

import java.util.List;
import java.util.Random;

/**
 * One search dimension. Samplers work in an internal real coordinate ({@code log} for log-scaled ranges, the
 * choice index for categoricals) and convert back with {@link #fromInternal}.
 */
public sealed interface Distribution {
    Object sampleUniform(Random rng);

    /** Lower and upper bound of the internal coordinate (for stepped ranges widened by half a step). */
    double internalLow();

    double internalHigh();

    double toInternal(Object value);

    Object fromInternal(double x);

    /** Finite values for a grid, or null when the range is continuous. */
    List<Object> gridValues();

    /** A float range; {@code step} (0 for none) and {@code log} are exclusive as in Optuna. */
    record FloatRange(double low, double high, boolean log, double step) implements Distribution {
        public FloatRange {
            if (!(low <= high)) throw new IllegalArgumentException("float range: low " + low + " must be <= high " + high);
            if (log && low <= 0) throw new IllegalArgumentException("float range: log scale needs low > 0, got " + low);
            if (log && step > 0) throw new IllegalArgumentException("float range: step and log cannot be combined");
        }

        @Override
        public Object sampleUniform(Random rng) {
            return fromInternal(internalLow() + rng.nextDouble() * (internalHigh() - internalLow()));
        }

        @Override
        public double internalLow() {
            return log ? Math.log(low) : step > 0 ? low - step / 2 : low;
        }

        @Override
        public double internalHigh() {
            return log ? Math.log(high) : step > 0 ? high + step / 2 : high;
        }

        @Override
        public double toInternal(Object value) {
            double v = ((Number) value).doubleValue();
            return log ? Math.log(v) : v;
        }

        @Override
        public Object fromInternal(double x) {
            double v = log ? Math.exp(x) : x;
            if (step > 0) v = low + Math.round((v - low) / step) * step;
            return Math.min(high, Math.max(low, v));
        }

        @Override
        public List<Object> gridValues() {
            if (step <= 0) return low == high ? List.of(low) : null;
            List<Object> out = new java.util.ArrayList<>();
            for (long i = 0; low + i * step <= high + step * 1e-9; i++) out.add(low + i * step);
            return out;
        }
    }

    /** An integer range with optional step or log scale. */
    record IntRange(long low, long high, boolean log, long step) implements Distribution {
        public IntRange {
            if (low > high) throw new IllegalArgumentException("int range: low " + low + " must be <= high " + high);
            if (step < 1) throw new IllegalArgumentException("int range: step must be >= 1, got " + step);
            if (log && low < 1) throw new IllegalArgumentException("int range: log scale needs low >= 1, got " + low);
            if (log && step != 1) throw new IllegalArgumentException("int range: step and log cannot be combined");
        }

        @Override
        public Object sampleUniform(Random rng) {
            return fromInternal(internalLow() + rng.nextDouble() * (internalHigh() - internalLow()));
        }

        @Override
        public double internalLow() {
            return log ? Math.log(low - 0.5) : low - step / 2.0;
        }

        @Override
        public double internalHigh() {
            return log ? Math.log(high + 0.5) : high + step / 2.0;
        }

        @Override
        public double toInternal(Object value) {
            double v = ((Number) value).doubleValue();
            return log ? Math.log(v) : v;
        }

        @Override
        public Object fromInternal(double x) {
            double v = log ? Math.exp(x) : x;
            long r = low + Math.round((v - low) / step) * step;
            return Math.min(high - (high - low) % step, Math.max(low, r));
        }

        @Override
        public List<Object> gridValues() {
            List<Object> out = new java.util.ArrayList<>();
            for (long v = low; v <= high; v += step) out.add(v);
            return out;
        }
    }

    /** A choice among strings (numbers in YAML are kept as their text). */
    record Categorical(List<String> choices) implements Distribution {
        public Categorical {
            if (choices.isEmpty()) throw new IllegalArgumentException("categorical: no choices");
            choices = List.copyOf(choices);
        }

        @Override
        public Object sampleUniform(Random rng) {
            return choices.get(rng.nextInt(choices.size()));
        }

        @Override
        public double internalLow() {
            return 0;
        }

        @Override
        public double internalHigh() {
            return choices.size() - 1;
        }

        @Override
        public double toInternal(Object value) {
            int i = choices.indexOf(value.toString());
            if (i < 0) throw new IllegalArgumentException("categorical: '" + value + "' is not one of " + choices);
            return i;
        }

        @Override
        public Object fromInternal(double x) {
            return choices.get((int) Math.max(0, Math.min(choices.size() - 1, Math.round(x))));
        }

        @Override
        public List<Object> gridValues() {
            return List.copyOf(choices);
        }
    }
}
