package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.wordpiece.LlamaCppVocabCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GgufBpeLoaderTest {
    private static final ByteLevelBpe GPT2 =
            GgufBpeLoader.load(GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-gpt-2.gguf")));

    static List<LlamaCppVocabCases.Case> gpt2Cases() {
        return LlamaCppVocabCases.load("ggml-vocab-gpt-2.gguf");
    }

    @Test
    void thereAre46Cases() {
        assertThat(gpt2Cases()).hasSize(46);
    }

    @ParameterizedTest
    @MethodSource("gpt2Cases")
    void matchesLlamaCppOnGpt2(LlamaCppVocabCases.Case c) {
        assertThat(GPT2.encodeOrdinary(c.text())).as(c.toString()).containsExactly(c.ids());
    }

    @ParameterizedTest
    @MethodSource("gpt2Cases")
    void decodeInvertsEncode(LlamaCppVocabCases.Case c) {
        assertThat(GPT2.decode(GPT2.encodeOrdinary(c.text()))).isEqualTo(c.text());
    }

    @Test
    void endOfTextIsAControlTokenAndSoSpecial() {
        assertThat(GPT2.specialTokens().ids()).containsEntry("<|endoftext|>", 50256);
        assertThat(GPT2.encode("a<|endoftext|>")).containsExactly(64, 50256);
        assertThat(GPT2.encodeOrdinary("<|endoftext|>")).hasSizeGreaterThan(1);
        assertThat(GPT2.vocabularySize()).isEqualTo(50257);
    }

    @Test
    void unknownPreTokenizerIsNamed() {
        assertThatThrownBy(() -> GgufBpeLoader.preTokenizer("x.gguf", "qwen2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.gguf").hasMessageContaining("'qwen2'");
        assertThat(GgufBpeLoader.preTokenizer("x.gguf", "default").pattern()).isEqualTo(ai.tarka.tokenizers.PreTokenizerPatterns.GPT2);
    }

    @Test
    void rejectsAnSpmGguf() {
        GgufFile phi3 = GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf"));
        assertThatThrownBy(() -> GgufBpeLoader.load(phi3)).hasMessageContaining("'llama'").hasMessageContaining("gpt2");
    }
}
