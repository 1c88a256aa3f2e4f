package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GreedySamplerTest {
    static Stream<Arguments> models() {
        return Stream.of(Arguments.of(ModelConfig.gpt2(30, 13, 1, 2, 10)),
                Arguments.of(ModelConfig.llama(30, 13, 1, 2, 1, 12, 24)));
    }

    @ParameterizedTest
    @MethodSource("models")
    void cachedGenerationAndTheSlidingWindowAgreeWhereBothApply(ModelConfig config) {
        CausalLm model = Models.create(config, 3);
        CharTokenizer tok = new CharTokenizer(TinyRuns.ALPHABET);
        String viaCache = GreedySampler.sample(model, tok, "the c", 9);      // 5 + 9 - 1 = 13 positions: cached path
        int[] full = GreedySampler.slidingWindow(model, tok.encode("the c"), 9);
        assertThat(viaCache).isEqualTo(tok.decode(full)).hasSize(14).startsWith("the c");
    }

    @ParameterizedTest
    @MethodSource("models")
    void samplesLongerThanThePositionsSlideTheWindow(ModelConfig config) {
        CausalLm model = Models.create(config, 3);
        CharTokenizer tok = new CharTokenizer(TinyRuns.ALPHABET);
        String text = GreedySampler.sample(model, tok, "the cat ", 20);
        assertThat(text).hasSize(28).startsWith("the cat ");
        int[] ids = GreedySampler.slidingWindow(model, tok.encode("the cat "), 20);
        assertThat(tok.decode(Arrays.copyOf(ids, 28))).isEqualTo(text);
    }
}
