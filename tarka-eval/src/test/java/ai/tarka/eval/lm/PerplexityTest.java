package ai.tarka.eval.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.engine.GradMode;
import ai.tarka.eval.TinyLm;
import ai.tarka.models.CausalLm;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PerplexityTest {

    static String randomText(Random rng, int n) {
        StringBuilder sb = new StringBuilder();
        String alphabet = "abcdefgh ijk.,\nXYZ";
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** Direct reference: one forward over [BOS] + text, log-softmax in plain loops. */
    static double referenceNll(CausalLmScorer m, String text) {
        int[] t = m.encode(text);
        int[] ids = new int[t.length + 1];
        ids[0] = m.bos();
        System.arraycopy(t, 0, ids, 1, t.length);
        CausalLm model = m.model();
        int v = model.config().vocabSize();
        float[] logits;
        try (var g = GradMode.disable()) {
            logits = model.forward(ids, null, 1, ids.length).toArray();
        }
        double nll = 0;
        for (int p = 0; p + 1 < ids.length; p++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < v; k++) max = Math.max(max, logits[p * v + k]);
            for (int k = 0; k < v; k++) sum += Math.exp(logits[p * v + k] - max);
            nll -= logits[p * v + ids[p + 1]] - max - Math.log(sum);
        }
        return nll;
    }

    static Stream<Arguments> cases() {
        Random rng = new Random(7);
        return Stream.of(Arguments.of(rng.nextLong(), 37, 13), Arguments.of(rng.nextLong(), 61, 29), Arguments.of(rng.nextLong(), 50, 50));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void windowCoveringTheTextEqualsOneForwardPass(long seed, int chars, int unused) {
        CausalLmScorer m = TinyLm.scorer(seed, 64);
        String text = randomText(new Random(seed), chars);
        Perplexity.Result r = Perplexity.of(m, text, 64, 64, 1);
        double nll = referenceNll(m, text);
        assertThat(r.tokens()).isEqualTo(chars);
        assertThat(r.nll()).isCloseTo(nll, within(1e-9 * Math.max(1, nll)));
        assertThat(r.perplexity()).isCloseTo(Math.exp(nll / chars), within(1e-9));
        assertThat(r.bitsPerByte()).isCloseTo(nll / Math.log(2) / chars, within(1e-12));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void slidingWindowsScoreEveryTokenOnceAndDoNotDependOnBatchSize(long seed, int window, int stride) {
        CausalLmScorer m = TinyLm.scorer(seed, 64);
        String text = randomText(new Random(seed + 1), 173);
        Perplexity.Result one = Perplexity.of(m, text, window, stride, 1);
        Perplexity.Result four = Perplexity.of(m, text, window, stride, 4);
        // BOS + 173 ids; as in HF's guide a window's first token is only context, so disjoint windows leave one
        // token per later window unscored, overlapping ones none
        assertThat(one.tokens()).isEqualTo(stride < window ? 173 : 173 - (one.windows() - 1));
        assertThat(four.nll()).isEqualTo(one.nll());
        // a window with stride < window keeps context, so it differs from disjoint windows unless stride == window
        Perplexity.Result disjoint = Perplexity.of(m, text, window, window, 1);
        if (stride < window) assertThat(disjoint.nll()).isNotEqualTo(one.nll());
        assertThat(one.windows()).isGreaterThan(1);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenLogProbsDoNotDependOnWhatElseIsInTheBatch(long seed, int a, int b) {
        CausalLmScorer m = TinyLm.scorer(seed, 64);
        Random rng = new Random(seed);
        int[] x = m.encode(randomText(rng, a % 40 + 5));
        int[] y = m.encode(randomText(rng, x.length));   // same length: they run in one forward pass
        int[] z = m.encode(randomText(rng, b % 40 + 3));
        double[][] alone = m.tokenLogProbs(List.of(x), new int[] {1});
        double[][] together = m.tokenLogProbs(List.of(y, x, z), new int[] {2, 1, 1});
        assertThat(together[1]).isEqualTo(alone[0]);
    }
}
