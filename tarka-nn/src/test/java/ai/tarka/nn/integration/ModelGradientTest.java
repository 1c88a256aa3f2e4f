package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.nn.ParameterBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite differences of a whole tiny model's loss (embeddings, every block op, final norm, LM head,
 * cross-entropy with ignored targets) against backward, for every parameter tensor, with and
 * without the flat parameter buffer (whose gradients are written by the direct-into-buffer paths of
 * matmul and embedding) and with tied and untied LM heads.
 */
class ModelGradientTest {
    static final int B = 2, T = 5, V = 11, C = 8;

    /**
     * h = 2^-6: the Richardson difference's O(h⁴) truncation stays far below float32 noise. That
     * noise is the loss's rounding: a loss near ln 11 ≈ 2.4 is a float with ulp 2.4e-7, so one
     * central difference is quantised in steps of about 2.4e-7 / 2h ≈ 8e-6 (measured differences up
     * to ~2e-5 on derivatives of 1e-3..1e-1), hence atol 1e-4; rtol is the usual 1e-3.
     */
    private static final FiniteDifference FD = new FiniteDifference(1.0 / 64, 1e-3, 1e-4, 4, 99);

    /**
     * Both models, tied and untied heads, own and flat gradients; tied + flat (embedding backward and
     * the head's transposed matmul both adding straight into one flat gradient) for both.
     */
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("gpt", false, true),
                Arguments.of("gpt", true, true),
                Arguments.of("gpt", true, false),
                Arguments.of("llama", false, false),
                Arguments.of("llama", true, true));
    }

    static TinyLm model(String kind, boolean tied, long seed) {
        return kind.equals("gpt")
                ? new TinyGpt(TinyConfig.gpt(V, C, 2, 2, 8, tied), seed)
                : new TinyLlama(new TinyConfig(V, C, 2, 4, 2, 4, 12, 8, tied), seed);
    }

    /** Random ids and targets, two of the ten targets ignored. */
    static TokenBatch batch(long seed) {
        Random r = new Random(seed);
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(V);
            targets[i] = r.nextInt(V);
        }
        targets[2] = TokenBatch.IGNORE;
        targets[B * T - 1] = TokenBatch.IGNORE;
        return TokenBatch.causal(ids, targets, B, T);
    }

    @ParameterizedTest(name = "{0} tied={1} flat={2}")
    @MethodSource("models")
    void lossGradientMatchesFiniteDifferencesForEveryParameter(String kind, boolean tied, boolean flat) {
        TinyLm model = model(kind, tied, 7 + (tied ? 1 : 0));
        if (flat) ParameterBuffer.flatten(model);
        TokenBatch batch = batch(kind.length() * 31L + (tied ? 5 : 0));

        FiniteDifference.Report report = FD.check(model, () -> model.loss(batch));

        int perBlock = kind.equals("gpt") ? 12 : 9, outside = kind.equals("gpt") ? 4 : 2;
        assertThat(report.parameters()).hasSize(2 * perBlock + outside + (tied ? 0 : 1));
        assertThat(report.entries().stream().filter(e -> e.what().equals("direction")).map(FiniteDifference.Entry::parameter))
                .containsExactlyElementsOf(report.parameters());
        if (tied) assertThat(report.parameters()).doesNotContain("lm_head.weight");
        else assertThat(report.parameters()).contains("lm_head.weight");
        assertThat(report.failures()).as("worst relative error %s", report.worstRelative()).isEmpty();
        // the check must see real gradients: every tensor's directional derivative is far from zero
        for (FiniteDifference.Entry e : report.entries()) {
            if (e.what().equals("direction")) assertThat(Math.abs(e.numeric())).as(e.parameter()).isGreaterThan(1e-3);
        }
    }
}
