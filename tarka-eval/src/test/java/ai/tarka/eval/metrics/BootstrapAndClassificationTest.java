package ai.tarka.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BootstrapAndClassificationTest {

    static Stream<Arguments> sizes() {
        Random rng = new Random(2024);
        return Stream.of(Arguments.of(137, rng.nextLong()), Arguments.of(401, rng.nextLong()), Arguments.of(59, rng.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void bootstrapOfAMeanIsSeededAndNearTheAnalyticStandardError(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i] = rng.nextDouble() < 0.7 ? 1 : 0;
        mean /= n;
        Bootstrap.Interval a = Bootstrap.ofMean(x, 2000, 5), b = Bootstrap.ofMean(x, 2000, 5);
        assertThat(a).isEqualTo(b);
        double analytic = Math.sqrt(mean * (1 - mean) / n);
        // 2000 resamples estimate a standard error to within a few percent
        assertThat(a.stderr()).isCloseTo(analytic, within(0.1 * analytic));
        assertThat(a.low()).isLessThan(mean);
        assertThat(a.high()).isGreaterThan(mean);
        assertThat(a.mid()).isCloseTo(mean, within(2 * analytic));
    }

    /** Plain-loop confusion counts, the textbook formulas. */
    @ParameterizedTest
    @MethodSource("sizes")
    void binaryMetricsMatchConfusionMatrixFormulas(int n, long seed) {
        Random rng = new Random(seed);
        List<String> gold = new ArrayList<>(), pred = new ArrayList<>();
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < n; i++) {
            boolean g = rng.nextBoolean(), p = rng.nextDouble() < (g ? 0.8 : 0.3);
            gold.add(g ? "pos" : "neg");
            pred.add(p ? "pos" : "neg");
            if (g && p) tp++; else if (p) fp++; else if (g) fn++; else tn++;
        }
        double precision = tp / (double) (tp + fp), recall = tp / (double) (tp + fn);
        var prf = Classification.prf(gold, pred, Classification.Average.BINARY, "pos");
        assertThat(prf.precision()).isCloseTo(precision, within(1e-12));
        assertThat(prf.recall()).isCloseTo(recall, within(1e-12));
        assertThat(prf.f1()).isCloseTo(2 * precision * recall / (precision + recall), within(1e-12));
        double mcc = (tp * (double) tn - fp * (double) fn) / Math.sqrt((double) (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        assertThat(Classification.matthews(gold, pred)).isCloseTo(mcc, within(1e-12));
        assertThat(Classification.accuracy(gold, pred)).isCloseTo((tp + tn) / (double) n, within(1e-12));
        var micro = Classification.prf(gold, pred, Classification.Average.MICRO, null);
        assertThat(micro.f1()).isCloseTo((tp + tn) / (double) n, within(1e-12));
        var pNeg = Classification.prf(gold, pred, Classification.Average.BINARY, "neg");
        var macro = Classification.prf(gold, pred, Classification.Average.MACRO, null);
        assertThat(macro.f1()).isCloseTo((prf.f1() + pNeg.f1()) / 2, within(1e-12));
    }

    @Test
    void exactMatchAndDegenerateMatthews() {
        assertThat(Classification.exactMatch(List.of("Paris", "4"), List.of(" paris ", "5"), true)).isEqualTo(0.5);
        assertThat(Classification.exactMatch(List.of("Paris"), List.of(" paris "), false)).isZero();
        assertThat(Classification.matthews(List.of("a", "b", "a"), List.of("a", "a", "a"))).isZero();
    }
}
