package ai.tarka.engine;

/**
 * How a rotary table stretches its frequencies for contexts longer than the model was trained on.
 * Each variant maps the unscaled inverse frequencies {@code θ_i = base^(−2i/D)} to the ones used.
 */
public sealed interface RopeScaling {

    /** The scaled inverse frequencies (a new array). */
    double[] scale(double[] inverseFrequencies);

    static RopeScaling none() {
        return new None();
    }

    /** Linear position interpolation: every position is divided by {@code factor}. */
    static RopeScaling linear(double factor) {
        return new Linear(factor);
    }

    /** Llama 3.1 frequency scaling (factor 8, low 1, high 4, original 8192 in the released models). */
    static RopeScaling llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        return new Llama3(factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
    }

    /** No scaling. */
    record None() implements RopeScaling {
        @Override
        public double[] scale(double[] f) {
            return f.clone();
        }
    }

    /** Positions divided by {@code factor}, i.e. every frequency divided by it. */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("rope linear scaling: factor must be positive and finite, got " + factor);
            }
        }

        @Override
        public double[] scale(double[] f) {
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) out[i] = f[i] / factor;
            return out;
        }
    }

    /**
     * Llama 3 scaling: wavelengths shorter than {@code originalMaxPositions / highFreqFactor} are kept,
     * those longer than {@code originalMaxPositions / lowFreqFactor} are divided by {@code factor}, and
     * the band in between blends the two linearly in {@code originalMaxPositions / wavelength}.
     */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions)
            implements RopeScaling {
        public Llama3 {
            if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalMaxPositions <= 0) {
                throw new IllegalArgumentException("rope llama3 scaling: needs factor > 0, 0 < lowFreqFactor < highFreqFactor"
                        + " and originalMaxPositions > 0, got factor " + factor + ", low " + lowFreqFactor + ", high "
                        + highFreqFactor + ", original " + originalMaxPositions);
            }
        }

        @Override
        public double[] scale(double[] f) {
            double lowWavelength = originalMaxPositions / lowFreqFactor;
            double highWavelength = originalMaxPositions / highFreqFactor;
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                double wavelength = 2 * Math.PI / f[i];
                if (wavelength < highWavelength) {
                    out[i] = f[i];
                } else if (wavelength > lowWavelength) {
                    out[i] = f[i] / factor;
                } else {
                    double smooth = (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    out[i] = (1 - smooth) * f[i] / factor + smooth * f[i];
                }
            }
            return out;
        }
    }
}
