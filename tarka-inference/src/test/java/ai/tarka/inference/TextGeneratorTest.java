package ai.tarka.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.inference.sampling.SamplingParams;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Text generation with stories260K and its tok512 tokenizer: reference text, streaming, seeds, stops. */
class TextGeneratorTest {
    static LlamaWeights weights;
    static TextTokenizer tok;
    static TextGenerator gen;

    @BeforeAll
    static void load() {
        weights = ModelLoader.load(SharedData.resolve("stories260K/stories260K.bin"), 0);
        tok = TokenizerLoader.load(SharedData.resolve("stories260K/tok512.bin"));
        gen = new TextGenerator(new LlamaInference(weights, 512, 16), tok);
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    @Test
    void greedyStreamsRunCsText() throws Exception {
        List<String> pieces = new ArrayList<>();
        GenerationResult r = gen.generate(new int[] {1}, SamplingParams.greedy(), StopCondition.maxTokens(200), pieces::add);
        String want = Files.readString(SharedData.resolve("stories260K/expected-greedy-200.txt"), StandardCharsets.UTF_8);
        assertThat(r.text() + "\n").isEqualTo(want);
        assertThat(String.join("", pieces)).isEqualTo(r.text());
        assertThat(pieces.size()).isGreaterThan(100); // streamed token by token, not at the end
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.sampled()).hasSize(200);
    }

    @Test
    void sameSeedSameTextOtherSeedOtherText() {
        SamplingParams p = SamplingParams.temperature(1f, 1234).withTopP(0.9f);
        String a = gen.generate(new int[] {1}, p, StopCondition.maxTokens(60), null).text();
        String b = gen.generate(new int[] {1}, p, StopCondition.maxTokens(60), null).text();
        String c = gen.generate(new int[] {1}, p.withSeed(99), StopCondition.maxTokens(60), null).text();
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void stopStringCutsTheTextBeforeIt() {
        List<String> pieces = new ArrayList<>();
        GenerationResult r = gen.generate(new int[] {1}, SamplingParams.greedy(),
                new StopCondition(200, 0, null, List.of("park")), pieces::add);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(r.text()).isEqualTo("Once upon a time, there was a little girl named Lily. She loved to play outside in the ");
        assertThat(String.join("", pieces)).isEqualTo(r.text());
    }

    @Test
    void stopTokenEndsAndMinTokensBansIt() {
        int[] ids = gen.generate(new int[] {1}, SamplingParams.greedy(), StopCondition.maxTokens(5), null).tokens();
        // stop at the greedy 3rd token
        GenerationResult r = gen.generate(new int[] {1}, SamplingParams.greedy(), StopCondition.maxTokens(20, ids[2]), null);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP_TOKEN);
        assertThat(r.tokens()).containsExactly(ids[0], ids[1]);
        GenerationResult banned = gen.generate(new int[] {1}, SamplingParams.greedy(), new StopCondition(4, 4, new int[] {ids[2]}, null), null);
        assertThat(banned.tokens()).hasSize(4);
        assertThat(banned.tokens()[2]).isNotEqualTo(ids[2]);
    }

    @Test
    void promptLongerThanTheContextIsAClearError() {
        assertThatThrownBy(() -> gen.generate(new int[600], SamplingParams.greedy(), StopCondition.maxTokens(5), null))
                .hasMessageContaining("600 tokens").hasMessageContaining("512");
    }

    @Test
    void stopStringsHoldBackPossiblePrefixes() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(s.accept("abc E")).isEqualTo("abc ");
        assertThat(s.accept("N")).isEmpty();
        assertThat(s.accept("x")).isEqualTo("ENx");
        assertThat(s.accept("yyE")).isEqualTo("yy");
        assertThat(s.accept("ND tail")).isEmpty();
        assertThat(s.stopped()).isTrue();
    }
}
