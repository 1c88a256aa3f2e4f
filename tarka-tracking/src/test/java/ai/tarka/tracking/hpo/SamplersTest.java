package ai.tarka.tracking.hpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SamplersTest {
    static final SearchSpace SPACE = new SearchSpace(Map.of(
            "lr", new Distribution.FloatRange(1e-5, 1e-1, true, 0),
            "warmup", new Distribution.IntRange(0, 200, false, 10),
            "opt", new Distribution.Categorical(List.of("adamw", "sgd", "lion"))));

    @Test
    void optunaGammaAndWeights() {
        assertThat(IntStream.of(1, 9, 10, 11, 100, 249, 250, 251, 1000).map(TpeSampler::gamma).toArray())
                .containsExactly(1, 1, 1, 2, 10, 25, 25, 25, 25);
        assertThat(TpeSampler.defaultWeights(24)).containsOnly(1.0);
        double[] w = TpeSampler.defaultWeights(40);
        assertThat(w[0]).isEqualTo(1.0 / 40);
        assertThat(w).isSorted();
        assertThat(java.util.Arrays.copyOfRange(w, 15, 40)).containsOnly(1.0);
    }

    static Stream<Long> seeds() {
        return new Random(5).longs(4).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void samplesStayInTheirRanges(long seed) {
        Random rng = new Random(seed);
        Sampler tpe = new TpeSampler();
        List<FrozenTrial> history = new ArrayList<>();
        NoisyQuadratic q = new NoisyQuadratic(SPACE, 1, 0, Map.of(), Double.POSITIVE_INFINITY);
        for (int n = 0; n < 30; n++) {
            Map<String, Object> p = tpe.sample(SPACE, history, Direction.MINIMIZE, n, rng);
            assertThat((Double) p.get("lr")).isBetween(1e-5, 1e-1);
            assertThat((Long) p.get("warmup") % 10).isZero();
            assertThat((Long) p.get("warmup")).isBetween(0L, 200L);
            assertThat(List.of("adamw", "sgd", "lion")).contains((String) p.get("opt"));
            history.add(new FrozenTrial(n, TrialState.COMPLETE, p, q.bowl(p), new TreeMap<>(), null));
        }
    }

    /** After its 10 random start-up trials, TPE should propose better points than random search does. */
    @ParameterizedTest
    @MethodSource("seeds")
    void tpeBeatsRandomOnABowl(long seed) {
        NoisyQuadratic q = new NoisyQuadratic(SPACE, 1, 0, Map.of("lr", 1e-3, "warmup", 50, "opt", "sgd"), Double.POSITIVE_INFINITY);
        double tpe = meanOfLast(new TpeSampler(), q, seed), random = meanOfLast(new RandomSampler(), q, seed);
        assertThat(tpe).as("mean value of trials 20..39, TPE vs random %.4f", random).isLessThan(random);
    }

    private static double meanOfLast(Sampler s, NoisyQuadratic q, long seed) {
        List<FrozenTrial> history = new ArrayList<>();
        double sum = 0;
        for (int n = 0; n < 40; n++) {
            Map<String, Object> p = s.sample(SPACE, history, Direction.MINIMIZE, n, new Random(seed * 31 + n));
            double v = q.bowl(p);
            if (n >= 20) sum += v;
            history.add(new FrozenTrial(n, TrialState.COMPLETE, p, v, new TreeMap<>(), null));
        }
        return sum / 20;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 17})
    void gridVisitsEveryCombinationOnce(long seed) {
        SearchSpace space = new SearchSpace(new LinkedHashMap<>(Map.of(
                "warmup", new Distribution.IntRange(0, 20, false, 10),
                "dropout", new Distribution.FloatRange(0.0, 0.2, false, 0.1),
                "opt", new Distribution.Categorical(List.of("adamw", "sgd")))));
        GridSampler grid = new GridSampler(seed);
        assertThat(grid.maxTrials(space)).isEqualTo(3 * 3 * 2);
        Set<Map<String, Object>> seen = new HashSet<>();
        for (int n = 0; n < 18; n++) seen.add(grid.sample(space, List.of(), Direction.MINIMIZE, n, new Random(n)));
        assertThat(seen).hasSize(18);
        assertThatThrownBy(() -> grid.sample(space, List.of(), Direction.MINIMIZE, 18, new Random(0))).hasMessageContaining("all 18 combinations");
        assertThatThrownBy(() -> grid.maxTrials(SPACE)).hasMessageContaining("'lr' is a continuous range");
    }

    @Test
    void medianPrunerFollowsOptuna() {
        MedianPruner pruner = new MedianPruner(3, 2, 1);
        List<FrozenTrial> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TreeMap<Long, Double> curve = new TreeMap<>();
            for (long s = 0; s < 5; s++) curve.put(s, 10.0 - s + i); // medians at step s: 11 - s
            done.add(new FrozenTrial(i, TrialState.COMPLETE, Map.of(), 5.0 + i, curve, null));
        }
        TreeMap<Long, Double> worse = new TreeMap<>(Map.of(0L, 20.0, 1L, 20.0, 2L, 20.0));
        assertThat(pruner.shouldPrune(done, worse, 1, Direction.MINIMIZE)).as("warm-up").isFalse();
        assertThat(pruner.shouldPrune(done, worse, 2, Direction.MINIMIZE)).isTrue();
        TreeMap<Long, Double> better = new TreeMap<>(Map.of(0L, 20.0, 1L, 20.0, 2L, 8.5));
        assertThat(pruner.shouldPrune(done, better, 2, Direction.MINIMIZE)).as("best so far 8.5 < median 9").isFalse();
        assertThat(pruner.shouldPrune(done, worse, 2, Direction.MAXIMIZE)).as("maximising: 20 beats the median").isFalse();
        assertThat(pruner.shouldPrune(done.subList(0, 2), worse, 2, Direction.MINIMIZE)).as("start-up trials").isFalse();
        assertThat(pruner.shouldPrune(done, new TreeMap<>(Map.of(7L, 99.0)), 7, Direction.MINIMIZE)).as("nobody reported step 7").isFalse();
        assertThat(MedianPruner.median(List.of(1.0, 2.0, 3.0, 10.0))).isEqualTo(2.5);
    }

    @Test
    void importanceFindsTheParameterThatMatters() {
        Random rnd = new Random(9);
        List<Map<String, String>> params = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double lr = Math.pow(10, -5 + 4 * rnd.nextDouble());
            int warmup = rnd.nextInt(200);
            String opt = rnd.nextBoolean() ? "a" : "b";
            params.add(Map.of("lr", Double.toString(lr), "warmup", Integer.toString(warmup), "opt", opt));
            values.add(Math.pow(Math.log10(lr) + 3, 2) + 0.01 * rnd.nextGaussian());
        }
        Map<String, Double> imp = ParamImportance.compute(params, values);
        assertThat(imp.keySet().iterator().next()).isEqualTo("lr");
        assertThat(imp.get("lr")).isGreaterThan(0.6);
        assertThat(imp.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
