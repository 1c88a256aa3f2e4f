package ai.tarka.tokenizers.spm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.wordpiece.LlamaCppVocabCases;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SentencePieceBpeTokenizerTest {
    private static final SentencePieceBpeTokenizer PHI3 =
            SentencePieceBpeTokenizer.fromGguf(GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf")));

    static List<LlamaCppVocabCases.Case> phi3Cases() {
        return LlamaCppVocabCases.load("ggml-vocab-phi-3.gguf");
    }

    @Test
    void thereAre46Cases() {
        assertThat(phi3Cases()).hasSize(46);
    }

    @ParameterizedTest
    @MethodSource("phi3Cases")
    void matchesLlamaCppOnPhi3(LlamaCppVocabCases.Case c) {
        assertThat(PHI3.encodeOrdinary(c.text())).as(c.toString()).containsExactly(c.ids());
    }

    /** SentencePiece with byte fallback is lossless: decode(encode(x)) == x for any text. */
    @ParameterizedTest
    @MethodSource("phi3Cases")
    void decodeInvertsEncode(LlamaCppVocabCases.Case c) {
        assertThat(PHI3.decode(PHI3.encodeOrdinary(c.text()))).isEqualTo(c.text());
    }

    static Stream<String> randomTexts() {
        Random r = new Random(2024);
        int[] pool = {' ', 'a', 'b', 'é', '\n', '我', 0x1F999, 'Z', '0', '\t', 0x0416};
        return IntStream.range(0, 8).mapToObj(i -> {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(37);
            for (int k = 0; k < len; k++) sb.appendCodePoint(pool[r.nextInt(pool.length)]);
            return sb.toString();
        });
    }

    @ParameterizedTest
    @MethodSource("randomTexts")
    void roundTripsRandomText(String text) {
        assertThat(PHI3.decode(PHI3.encode(text))).isEqualTo(text);
    }

    /** A toy vocabulary where the highest-scoring merge, not the leftmost or the first listed, must win. */
    private static SentencePieceBpeTokenizer toy() {
        String[] toks = {"<unk>", "<s>", "<0x61>", "<0x62>", "<0x63>", "▁", "a", "b", "c", "ab", "bc", "▁a", "▁ab"};
        float[] scores = {0, 0, 0, 0, 0, -1, -2, -2, -2, -5, -3, -4, -10};
        int[] types = {2, 3, 6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1};
        return new SentencePieceBpeTokenizer(toks, scores, types, 0, true);
    }

    @Test
    void mergesByHighestScoreAndFallsBackToBytes() {
        SentencePieceBpeTokenizer t = toy();
        // "▁abc": bc (-3) beats ▁a (-4) beats ab (-5); ▁a + bc has no piece, so two symbols stay.
        // Merging ab first (leftmost or first listed) would have given ▁ab + c instead.
        assertThat(t.encode("abc")).containsExactly(11, 10);
        // "é" is not a piece and this vocabulary has no byte token for its UTF-8 bytes: unknown for each byte
        assertThat(t.encode("é")).containsExactly(5, 0, 0);
        assertThat(t.encode("")).isEmpty();
        assertThat(t.decode(new int[] {1, 11, 10, 2})).isEqualTo("abca");
    }

    @Test
    void userDefinedTokensAreCutOutLongestFirstAndRestartTheDummyPrefix() {
        String[] toks = {"<unk>", "▁", "a", "b", "▁a", "<u>", "b<u>x", "x"};
        float[] scores = {0, -1, -2, -2, -1, 0, 0, -3};
        int[] types = {2, 1, 1, 1, 1, 4, 4, 1};
        SentencePieceBpeTokenizer t = new SentencePieceBpeTokenizer(toks, scores, types, 0, true);
        assertThat(t.encode("a<u>a")).containsExactly(4, 5, 4);
        assertThat(t.encode("<u>")).containsExactly(5);
        // the longer user-defined text wins even though "<u>" alone would also match inside it
        assertThat(t.encode("ab<u>x<u>")).containsExactly(4, 6, 5);
        assertThat(t.decode(t.encode("a<u>a"))).isEqualTo("a<u> a");
    }

    @Test
    void rejectsMismatchedArraysAndBadIds() {
        assertThatThrownBy(() -> new SentencePieceBpeTokenizer(new String[] {"a"}, new float[2], new int[1], 0, true))
                .hasMessageContaining("1 tokens but 2 scores");
        assertThatThrownBy(() -> PHI3.decode(new int[] {-1})).hasMessageContaining("outside vocabulary");
    }
}
