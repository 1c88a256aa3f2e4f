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
        assertThatThrownBy(() -> GgufBpeLoader.preTokenizer("x.gguf", "falcon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.gguf").hasMessageContaining("'falcon'");
        assertThat(GgufBpeLoader.preTokenizer("x.gguf", "default").pattern()).isEqualTo(ai.tarka.tokenizers.PreTokenizerPatterns.GPT2);
    }

    /** A minimal GGUF v3 with no tensors and only string / string-array / int32-array metadata. */
    private static GgufFile toyGguf(String pre, String[] tokens, int[] types, String[] merges) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.function.IntConsumer u32 = v -> out.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        java.util.function.LongConsumer u64 = v -> out.writeBytes(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        java.util.function.Consumer<String> str = v -> {
            byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            u64.accept(b.length);
            out.writeBytes(b);
        };
        out.writeBytes("GGUF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        u32.accept(3);
        u64.accept(0);
        u64.accept(5);
        str.accept("tokenizer.ggml.model"); u32.accept(8); str.accept("gpt2");
        str.accept("tokenizer.ggml.pre"); u32.accept(8); str.accept(pre);
        str.accept("tokenizer.ggml.tokens"); u32.accept(9); u32.accept(8); u64.accept(tokens.length);
        for (String t : tokens) str.accept(t);
        str.accept("tokenizer.ggml.token_type"); u32.accept(9); u32.accept(5); u64.accept(types.length);
        for (int t : types) u32.accept(t);
        str.accept("tokenizer.ggml.merges"); u32.accept(9); u32.accept(8); u64.accept(merges.length);
        for (String m : merges) str.accept(m);
        return GgufFile.read(java.nio.ByteBuffer.wrap(out.toByteArray()), "toy.gguf");
    }

    /** The 256 single-byte tokens in byte-to-unicode spelling, then "ab", "abc", "ĠĠ" (no merge makes it) and a control token. */
    private static GgufFile toy(String pre, String... merges) {
        String[] tokens = new String[259 + 1];
        int[] types = new int[tokens.length];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ByteUnicodeTable.encode(new byte[] {(byte) b});
            types[b] = 1;
        }
        tokens[256] = "ab"; tokens[257] = "abc"; tokens[258] = "ĠĠ"; tokens[259] = "<|end|>";
        types[256] = types[257] = types[258] = 1;
        types[259] = 3;
        return toyGguf(pre, tokens, types, merges);
    }

    @Test
    void toyVocabularyMergesByRankAndKnowsItsControlToken() {
        ByteLevelBpe t = GgufBpeLoader.load(toy("default", "a b", "ab c"));
        assertThat(t.encodeOrdinary("abc")).containsExactly(257);
        assertThat(t.encodeOrdinary("abd")).containsExactly(256, 'd');
        assertThat(t.encode("ab<|end|>")).containsExactly(256, 259);
        assertThat(t.decode(new int[] {257, 259})).isEqualTo("abc<|end|>");
    }

    @Test
    void badMergesAndPreTokenizerAreNamed() {
        assertThatThrownBy(() -> GgufBpeLoader.load(toy("default", "a b", "abc")))
                .hasMessageContaining("toy.gguf").hasMessageContaining("merges[1]").hasMessageContaining("'abc'");
        assertThatThrownBy(() -> GgufBpeLoader.load(toy("default", "a b", "b c")))
                .hasMessageContaining("toy.gguf").hasMessageContaining("merges[1]").hasMessageContaining("'bc'");
        assertThatThrownBy(() -> GgufBpeLoader.load(toy("falcon", "a b")))
                .hasMessageContaining("toy.gguf").hasMessageContaining("'falcon'");
    }

    @Test
    void rejectsAnSpmGguf() {
        GgufFile phi3 = GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf"));
        assertThatThrownBy(() -> GgufBpeLoader.load(phi3)).hasMessageContaining("'llama'").hasMessageContaining("gpt2");
    }
}
