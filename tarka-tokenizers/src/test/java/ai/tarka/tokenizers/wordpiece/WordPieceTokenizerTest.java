package ai.tarka.tokenizers.wordpiece;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WordPieceTokenizerTest {
    private static final WordPieceTokenizer BGE =
            WordPieceTokenizer.fromGguf(GgufFile.open(SharedData.resolve("llama-cpp-vocab/ggml-vocab-bert-bge.gguf")));

    static List<LlamaCppVocabCases.Case> bgeCases() {
        return LlamaCppVocabCases.load("ggml-vocab-bert-bge.gguf");
    }

    @Test
    void thereAre46Cases() {
        assertThat(bgeCases()).hasSize(46);
    }

    @ParameterizedTest
    @MethodSource("bgeCases")
    void matchesLlamaCppOnBgeSmall(LlamaCppVocabCases.Case c) {
        assertThat(BGE.encodeOrdinary(c.text())).as(c.toString()).containsExactly(c.ids());
    }

    private static WordPieceTokenizer hfStyle() {
        List<String> vocab = List.of("[PAD]", "[UNK]", "[CLS]", "un", "##aff", "##able", "play", "##ing", "!", "a", "##b",
                "ab", "é");
        boolean[] skip = new boolean[vocab.size()];
        skip[2] = true;
        return new WordPieceTokenizer(vocab, skip, WordPieceTokenizer.Spelling.HF_CONTINUATION_HASHES, 1, true);
    }

    @Test
    void greedyLongestMatchWithHashContinuations() {
        WordPieceTokenizer t = hfStyle();
        assertThat(t.encode("Unaffable PLAYING!")).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(t.decode(new int[] {3, 4, 5, 6, 7, 8})).isEqualTo("unaffable playing !");
        // "ab" is a whole piece, so longest-match takes it before "a" + "##b"
        assertThat(t.encode("ab abb")).containsExactly(11, 11, 10);
        // a word that fails part-way is one [UNK], not its matched prefix
        assertThat(t.encode("playx play")).containsExactly(1, 6);
        // control tokens are never matched from text; brackets split as punctuation first
        assertThat(t.encode("[CLS]")).containsExactly(1, 1, 1);
        // accents are stripped (é -> e) before lookup
        assertThat(t.encode("É")).containsExactly(1);
    }

    static Stream<Integer> longWordLengths() {
        Random r = new Random(5);
        return Stream.of(99, 100, 101, 100 + 1 + r.nextInt(50), 1 + r.nextInt(99));
    }

    @ParameterizedTest
    @MethodSource("longWordLengths")
    void wordsOverOneHundredCharactersAreUnknown(int n) {
        String word = "a" + "b".repeat(n - 1);
        int[] ids = hfStyle().encode(word);
        if (n > WordPieceTokenizer.MAX_WORD_CHARS) assertThat(ids).containsExactly(1);
        else assertThat(ids).hasSize(n >= 2 ? n - 1 : 1).startsWith(n >= 2 ? 11 : 9);
    }

    @Test
    void preTokenizerSplitsPunctuationCjkAndDropsControls() {
        BertPreTokenizer p = new BertPreTokenizer(true);
        assertThat(p.words(" Héllo,\u200dwörld\u0000 我想$x ½ ")).containsExactly("hello", ",", "world", "我", "想", "$", "x", "½");
        assertThat(new BertPreTokenizer(false).words("Héllo")).containsExactly("Héllo");
    }

    @Test
    void decodesGgufSpellingAndRejectsBadIds() {
        int[] ids = BGE.encode("Hello, world! discards");
        assertThat(BGE.decode(ids)).isEqualTo("hello , world ! discards");
        assertThatThrownBy(() -> BGE.decode(new int[] {BGE.vocabSize()})).hasMessageContaining("outside vocabulary");
    }
}
