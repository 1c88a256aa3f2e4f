package ai.tarka.tracking.hpo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tree-structured Parzen Estimator with Optuna's defaults: random sampling for the first 10 trials, then per
 * parameter (univariate) split the observations into the best {@code gamma(n) = min(ceil(0.1 n), 25)} and the
 * rest, fit a Parzen estimator to each (a prior component plus one truncated Gaussian per observation, widths
 * from the gaps to the sorted neighbours, "magic clip" lower bound), draw 24 candidates from the good estimator
 * l(x) and keep the one maximising log l(x) - log g(x). Pruned trials rank after complete ones by their last
 * reported value, so they mostly fall in the "rest" group.
 */
public final class TpeSampler implements Sampler {
    public static final int DEFAULT_STARTUP_TRIALS = 10;
    public static final int DEFAULT_EI_CANDIDATES = 24;
    private static final double PRIOR_WEIGHT = 1.0;

    private final int startupTrials;
    private final int eiCandidates;
    private final RandomSampler random = new RandomSampler();

    public TpeSampler() {
        this(DEFAULT_STARTUP_TRIALS, DEFAULT_EI_CANDIDATES);
    }

    public TpeSampler(int startupTrials, int eiCandidates) {
        this.startupTrials = startupTrials;
        this.eiCandidates = eiCandidates;
    }

    /** Optuna's default gamma. */
    public static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** Optuna's default weights: flat for fewer than 25 observations, else a ramp up to the 25 newest. */
    static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1.0;
        return w;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, Direction direction, int trialNumber, Random rng) {
        List<FrozenTrial> usable = new ArrayList<>();
        for (FrozenTrial t : finished) {
            if ((t.state() == TrialState.COMPLETE && t.value() != null) || (t.state() == TrialState.PRUNED && t.rankValue() != null)) usable.add(t);
        }
        if (usable.size() < startupTrials) return random.sample(space, finished, direction, trialNumber, rng);
        // Rank: complete trials by value, then pruned ones by their last value (Optuna ranks pruned after complete).
        List<FrozenTrial> ranked = new ArrayList<>(usable);
        ranked.sort(Comparator.<FrozenTrial>comparingInt(t -> t.state() == TrialState.COMPLETE ? 0 : 1)
                .thenComparingDouble(t -> direction.asLoss(t.rankValue())));
        int nBelow = gamma(usable.size());
        List<FrozenTrial> below = ranked.subList(0, nBelow);
        List<FrozenTrial> above = new ArrayList<>(ranked.subList(nBelow, ranked.size()));
        above.sort(Comparator.comparingInt(FrozenTrial::number)); // chronological, for the weight ramp
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : space.params().entrySet()) {
            out.put(e.getKey(), sampleOne(e.getKey(), e.getValue(), below, above, rng));
        }
        return out;
    }

    private Object sampleOne(String name, Distribution d, List<FrozenTrial> below, List<FrozenTrial> above, Random rng) {
        double[] xb = observations(name, d, below);
        double[] xa = observations(name, d, above);
        if (d instanceof Distribution.Categorical c) {
            int k = c.choices().size();
            double[] pl = categorical(xb, new double[xb.length], k, true);
            double[] pg = categorical(xa, defaultWeights(xa.length), k, false);
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < eiCandidates; i++) {
                int cand = draw(pl, rng);
                double score = Math.log(pl[cand]) - Math.log(pg[cand]);
                if (score > bestScore) {
                    bestScore = score;
                    best = cand;
                }
            }
            return c.choices().get(best);
        }
        double lo = d.internalLow(), hi = d.internalHigh();
        Parzen l = Parzen.fit(xb, ones(xb.length), lo, hi);
        Parzen g = Parzen.fit(xa, defaultWeights(xa.length), lo, hi);
        double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eiCandidates; i++) {
            double x = l.sample(rng);
            double score = l.logDensity(x) - g.logDensity(x);
            if (score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        return d.fromInternal(best);
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    private static double[] observations(String name, Distribution d, List<FrozenTrial> trials) {
        List<Double> xs = new ArrayList<>();
        for (FrozenTrial t : trials) {
            Object v = t.params().get(name);
            if (v != null) xs.add(d.toInternal(v));
        }
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
        return out;
    }

    /** Category probabilities: observation weights plus the prior spread evenly. */
    private static double[] categorical(double[] obs, double[] weights, int k, boolean flat) {
        double[] p = new double[k];
        for (int i = 0; i < obs.length; i++) p[(int) obs[i]] += flat ? 1.0 : weights[i];
        double total = 0;
        for (int c = 0; c < k; c++) {
            p[c] += PRIOR_WEIGHT / k;
            total += p[c];
        }
        for (int c = 0; c < k; c++) p[c] /= total;
        return p;
    }

    private static int draw(double[] p, Random rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        return p.length - 1;
    }

    /** A mixture of Gaussians truncated to [low, high]. */
    record Parzen(double[] mus, double[] sigmas, double[] weights, double low, double high) {
        static Parzen fit(double[] obs, double[] obsWeights, double low, double high) {
            int n = obs.length;
            double range = high - low;
            double[] mus = new double[n + 1];
            double[] sigmas = new double[n + 1];
            double[] weights = new double[n + 1];
            if (range <= 0) {
                java.util.Arrays.fill(mus, low);
                java.util.Arrays.fill(sigmas, 1.0);
                java.util.Arrays.fill(weights, 1.0 / (n + 1));
                return new Parzen(mus, sigmas, weights, low, high);
            }
            double prior = 0.5 * (low + high);
            // Sort the observations with the prior mean; each width is the larger gap to a sorted neighbour
            // (the bounds count as neighbours), the outermost use their inner gap (consider_endpoints=false).
            Integer[] order = new Integer[n + 1];
            double[] all = java.util.Arrays.copyOf(obs, n + 1);
            all[n] = prior;
            for (int i = 0; i <= n; i++) order[i] = i;
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> all[i]));
            double[] sorted = new double[n + 3];
            sorted[0] = low;
            for (int i = 0; i <= n; i++) sorted[i + 1] = all[order[i]];
            sorted[n + 2] = high;
            double[] sortedSigma = new double[n + 1];
            for (int i = 0; i <= n; i++) sortedSigma[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            if (n + 3 >= 4) {
                sortedSigma[0] = sorted[2] - sorted[1];
                sortedSigma[n] = sorted[n + 1] - sorted[n];
            }
            double minSigma = range / Math.min(100.0, 1.0 + (n + 1));
            for (int i = 0; i <= n; i++) {
                int original = order[i];
                if (original < n) sigmas[original] = Math.min(range, Math.max(minSigma, sortedSigma[i]));
            }
            double total = PRIOR_WEIGHT;
            for (int i = 0; i < n; i++) {
                mus[i] = obs[i];
                weights[i] = obsWeights[i];
                total += obsWeights[i];
            }
            mus[n] = prior;
            sigmas[n] = range;
            weights[n] = PRIOR_WEIGHT;
            for (int i = 0; i <= n; i++) weights[i] /= total;
            return new Parzen(mus, sigmas, weights, low, high);
        }

        double sample(Random rng) {
            double u = rng.nextDouble();
            int k = weights.length - 1;
            for (int i = 0; i < weights.length; i++) {
                u -= weights[i];
                if (u <= 0) {
                    k = i;
                    break;
                }
            }
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = mus[k] + sigmas[k] * rng.nextGaussian();
                if (x >= low && x <= high) return x;
            }
            return Math.min(high, Math.max(low, mus[k]));
        }

        double logDensity(double x) {
            double p = 0;
            for (int i = 0; i < mus.length; i++) {
                double z = (x - mus[i]) / sigmas[i];
                double mass = Normal.cdf((high - mus[i]) / sigmas[i]) - Normal.cdf((low - mus[i]) / sigmas[i]);
                p += weights[i] * Math.exp(-0.5 * z * z) / (sigmas[i] * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
            }
            return Math.log(Math.max(p, 1e-300));
        }
    }
}
