package ai.tarka.serve.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Top-k / top-p / min-p sampling, which sorts only the likely candidates, draws exactly the tokens a full sort of the
 * vocabulary draws with the same seed, for peaked and flat distributions (flat ones need the lower thresholds).
 */
class TokenSamplerTest {

    static Stream<Arguments> cases() {
        Random r = new Random(21);
        double[] spreads = {6.0, 0.05, 2.5};      // peaked, flat, and in between (the nucleus reaches below max·1e-2)
        return IntStream.range(0, 18).mapToObj(i -> Arguments.of(300 + r.nextInt(1700), spreads[i % 3],
                0.3 + r.nextDouble() * 1.2, i % 4 == 0 ? 1 + r.nextInt(60) : 0,
                i % 4 == 1 ? 1.0 : 0.5 + r.nextDouble() / 2, i % 5 == 0 ? 0.05 * r.nextDouble() : 0, r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void candidateSortDrawsWhatAFullSortDraws(int vocab, double spread, double temperature, int topK, double topP,
                                              double minP, long seed) {
        Random r = new Random(seed);
        SamplingOptions o = new SamplingOptions(temperature, topP, topK, minP, 0, 0, 1, seed, 50, 0, List.of(),
                new int[0], true, Map.of(), false, 0, false);
        TokenSampler sampler = new TokenSampler(o, vocab, -1, new int[] {1, 2});
        SplittableRandom refRng = new SplittableRandom(seed);
        for (int draw = 0; draw < 25; draw++) {
            float[] logits = new float[vocab + 3];
            for (int i = 0; i < vocab; i++) logits[3 + i] = (float) (r.nextGaussian() * spread);
            if (draw % 7 == 3) logits[3 + r.nextInt(vocab)] = logits[3 + r.nextInt(vocab)];   // a tie
            int want = reference(Arrays.copyOfRange(logits, 3, 3 + vocab), o, refRng);
            assertThat(sampler.sample(logits, 3, draw).token()).as("draw %d", draw).isEqualTo(want);
        }
    }

    /** The plain algorithm: every token sorted by descending probability, lower id first on ties, when a cut applies. */
    static int reference(float[] logits, SamplingOptions o, SplittableRandom rng) {
        int v = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) sum += p[i] = Math.exp((logits[i] - max) / o.temperature());
        if (!(o.topK() > 0 && o.topK() < v) && o.topP() >= 1 && o.minP() <= 0) {
            double x = rng.nextDouble() * sum, acc = 0;     // no cut: drawn in id order, no sort at all
            for (int i = 0; i < v; i++) {
                acc += p[i];
                if (x < acc) return i;
            }
            return v - 1;
        }
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare((float) p[b], (float) p[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int n = o.topK() > 0 ? Math.min(v, o.topK()) : v;
        double kept = 0;
        int m = 0;
        while (m < n) {
            kept += p[order[m]];
            m++;
            if (kept >= o.topP() * sum) break;
        }
        n = m;
        if (o.minP() > 0) {
            double floor = o.minP() * p[order[0]];
            int keep = 0;
            while (keep < n && p[order[keep]] >= floor) keep++;
            n = Math.max(1, keep);
        }
        double mass = 0;
        for (int i = 0; i < n; i++) mass += p[order[i]];
        double x = rng.nextDouble() * mass, acc = 0;
        for (int i = 0; i < n; i++) {
            acc += p[order[i]];
            if (x < acc) return order[i];
        }
        return order[n - 1];
    }
}
