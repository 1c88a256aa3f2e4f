package ai.tarka.inference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each filter and penalty against a distribution computed by hand. Logits are ln of [0.5, 0.25, 0.15, 0.1], so the
 * unfiltered distribution is exactly those probabilities. Tolerance 1e-6 (float exp/normalisation).
 */
class SamplerTest {
    static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.15), (float) Math.log(0.1)};
    static final float T1 = 1f;

    static float[] dist(SamplingParams p, TokenCounts counts, int... banned) {
        return new Sampler(p, 4).distribution(LOGITS, 0, counts, banned.length == 0 ? null : banned);
    }

    static void assertDist(float[] got, double... want) {
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < want.length; i++) assertThat((double) got[i]).as("p[%d]", i).isCloseTo(want[i], within(1e-6));
    }

    @Test
    void temperatureOneKeepsTheModelsDistribution() {
        assertDist(dist(SamplingParams.temperature(T1, 1), null), 0.5, 0.25, 0.15, 0.1);
    }

    @Test
    void temperatureTwoTakesSquareRoots() {
        double[] r = {Math.sqrt(0.5), Math.sqrt(0.25), Math.sqrt(0.15), Math.sqrt(0.1)};
        double s = r[0] + r[1] + r[2] + r[3];
        assertDist(dist(SamplingParams.temperature(2, 1), null), r[0] / s, r[1] / s, r[2] / s, r[3] / s);
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertDist(dist(SamplingParams.temperature(T1, 1).withTopK(2), null), 2 / 3.0, 1 / 3.0, 0, 0);
        assertDist(dist(SamplingParams.temperature(T1, 1).withTopK(3), null), 0.5 / 0.9, 0.25 / 0.9, 0.15 / 0.9, 0);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // 0.5 < 0.7 <= 0.75: two tokens
        assertDist(dist(SamplingParams.temperature(T1, 1).withTopP(0.7f), null), 2 / 3.0, 1 / 3.0, 0, 0);
        // 0.75 < 0.8 <= 0.9: three
        assertDist(dist(SamplingParams.temperature(T1, 1).withTopP(0.8f), null), 0.5 / 0.9, 0.25 / 0.9, 0.15 / 0.9, 0);
        assertDist(dist(SamplingParams.temperature(T1, 1).withTopP(0.4f), null), 1, 0, 0, 0);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        // threshold 0.25 * 0.5 = 0.125: 0.1 goes
        assertDist(dist(SamplingParams.temperature(T1, 1).withMinP(0.25f), null), 0.5 / 0.9, 0.25 / 0.9, 0.15 / 0.9, 0);
        // threshold 0.5 * 0.5 = 0.25: 0.25 stays (>=)
        assertDist(dist(SamplingParams.temperature(T1, 1).withMinP(0.5f), null), 2 / 3.0, 1 / 3.0, 0, 0);
    }

    @Test
    void repetitionPenaltyScalesSeenTokensTowardsUnlikely() {
        TokenCounts c = new TokenCounts(4);
        c.addPrompt(new int[] {0});
        // logit ln 0.5 < 0 is multiplied by 2: ln 0.25
        assertDist(dist(SamplingParams.temperature(T1, 1).withPenalties(2, 0, 0), c), 0.25 / 0.75, 0.25 / 0.75, 0.15 / 0.75, 0.1 / 0.75);
        // a positive logit is divided: logits [2, 1] with token 0 seen -> [1, 1]
        Sampler s = new Sampler(SamplingParams.temperature(T1, 1).withPenalties(2, 0, 0), 2);
        TokenCounts c2 = new TokenCounts(2);
        c2.addPrompt(new int[] {0});
        float[] d = s.distribution(new float[] {2, 1}, 0, c2, null);
        assertThat((double) d[0]).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void presenceAndFrequencyPenaltiesCountGeneratedTokens() {
        TokenCounts c = new TokenCounts(4);
        c.addPrompt(new int[] {1}); // prompt tokens are not penalised by presence/frequency
        c.addGenerated(0);
        c.addGenerated(0);
        // token 0: logit − (0.5 + 2·0.25) = ln 0.5 − 1
        double p0 = 0.5 * Math.exp(-1), s = p0 + 0.25 + 0.15 + 0.1;
        assertDist(dist(SamplingParams.temperature(T1, 1).withPenalties(1, 0.5f, 0.25f), c), p0 / s, 0.25 / s, 0.15 / s, 0.1 / s);
    }

    @Test
    void logitBiasAndBannedIds() {
        // + ln 2 on token 3 doubles its weight
        assertDist(dist(SamplingParams.temperature(T1, 1).withLogitBias(Map.of(3, (float) Math.log(2))), null),
                0.5 / 1.1, 0.25 / 1.1, 0.15 / 1.1, 0.2 / 1.1);
        assertDist(dist(SamplingParams.temperature(T1, 1), null, 0), 0, 0.5, 0.3, 0.2);
        assertDist(dist(SamplingParams.greedy(), null, 0), 0, 1, 0, 0);
        assertThatThrownBy(() -> new Sampler(SamplingParams.greedy().withLogitBias(Map.of(9, 1f)), 4))
                .hasMessageContaining("logit_bias").hasMessageContaining("9");
    }

    @Test
    void logprobsOfTheChosenAndTopTokens() {
        SampledToken t = new Sampler(SamplingParams.greedy().withTopLogprobs(2), 4).sample(LOGITS, 0, null, null);
        assertThat(t.id()).isZero();
        assertThat((double) t.logprob()).isCloseTo(Math.log(0.5), within(1e-6));
        assertThat(t.top()).extracting(TokenLogprob::id).containsExactly(0, 1);
        assertThat((double) t.top().get(1).logprob()).isCloseTo(Math.log(0.25), within(1e-6));
    }

    @Test
    void sameSeedSameTokensAndFrequenciesFollowTheDistribution() {
        SamplingParams p = SamplingParams.temperature(T1, 42);
        Sampler a = new Sampler(p, 4), b = new Sampler(p, 4), other = new Sampler(p.withSeed(43), 4);
        int[] counts = new int[4];
        boolean differs = false;
        for (int i = 0; i < 20000; i++) {
            int x = a.sample(LOGITS, 0, null, null).id();
            assertThat(b.sample(LOGITS, 0, null, null).id()).isEqualTo(x);
            differs |= other.sample(LOGITS, 0, null, null).id() != x;
            counts[x]++;
        }
        assertThat(differs).isTrue();
        // 20000 draws: standard error <= 0.0036, so 0.015 is more than 4 sigma
        double[] want = {0.5, 0.25, 0.15, 0.1};
        for (int i = 0; i < 4; i++) assertThat(counts[i] / 20000.0).isCloseTo(want[i], within(0.015));
    }

    static Stream<Arguments> randomVocabularies() {
        Random r = new Random(7);
        return IntStream.range(0, 6).mapToObj(i -> Arguments.of(5 + r.nextInt(300), r.nextLong()));
    }

    /** On random logits, top-k and top-p keep exactly the tokens a sort-everything reference keeps. */
    @ParameterizedTest
    @MethodSource("randomVocabularies")
    void filtersAgreeWithASortingReference(int vocab, long seed) {
        Random r = new Random(seed);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) logits[i] = (float) r.nextGaussian() * 3;
        int k = 1 + r.nextInt(vocab);
        float topP = 0.05f + 0.9f * r.nextFloat();
        float[] base = new Sampler(SamplingParams.temperature(1, 1), vocab).distribution(logits, 0, null, null);
        Integer[] order = IntStream.range(0, vocab).boxed().sorted((a, b) -> Float.compare(base[b], base[a])).toArray(Integer[]::new);
        float[] topK = new Sampler(SamplingParams.temperature(1, 1).withTopK(k), vocab).distribution(logits, 0, null, null);
        for (int i = 0; i < vocab; i++) assertThat(topK[order[i]] > 0).as("top-%d rank %d", k, i).isEqualTo(i < k);
        float[] nucleus = new Sampler(SamplingParams.temperature(1, 1).withTopP(topP), vocab).distribution(logits, 0, null, null);
        double acc = 0;
        int keep = vocab;
        for (int i = 0; i < vocab; i++) {
            acc += base[order[i]];
            if (acc >= topP) {
                keep = i + 1;
                break;
            }
        }
        int kept = 0;
        for (float v : nucleus) if (v > 0) kept++;
        // float rounding of the cumulative sum may move the boundary by one token
        assertThat(kept).isBetween(keep - 1, keep + 1);
        for (int i = 0; i < kept; i++) assertThat(nucleus[order[i]]).isPositive();
    }
}
