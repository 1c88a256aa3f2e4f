package ai.tarka.tokenizers.chars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CharTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void idsAreRanksOfTheSortedCharacters() {
        CharTokenizer t = CharTokenizer.fromText("hello world\n");
        // sorted distinct: '\n' ' ' d e h l o r w
        assertThat(t.vocabSize()).isEqualTo(9);
        assertThat(t.encode("hello")).containsExactly(4, 3, 5, 5, 6);
        assertThat(t.encode("\n ")).containsExactly(0, 1);
        assertThat(t.decode(t.encode("world hello\n"))).isEqualTo("world hello\n");
    }

    static Stream<Arguments> corpora() {
        Random rnd = new Random(2024);
        List<Arguments> out = new ArrayList<>();
        int[] alphabet = {'\n', '\t', ' ', 'a', 'Z', '"', '\\', 'é', 'ß', '中', 0x1F600, 0x10348, '\u2581'};
        for (int k = 0; k < 6; k++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(200);
            for (int i = 0; i < n; i++) sb.appendCodePoint(alphabet[rnd.nextInt(alphabet.length)]);
            out.add(Arguments.of(sb.toString()));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("corpora")
    void roundTripsThroughTokenizerJson(String corpus) throws Exception {
        CharTokenizer t = CharTokenizer.fromText(corpus);
        Path file = dir.resolve("tokenizer.json");
        t.write(file);
        TextTokenizer loaded = TokenizerLoader.load(dir); // a folder holding tokenizer.json, as prepared data has
        assertThat(loaded).isInstanceOf(CharTokenizer.class);
        assertThat(((CharTokenizer) loaded).codePoints()).containsExactly(t.codePoints());
        assertThat(TokenizerLoader.vocabSize(loaded)).isEqualTo((int) corpus.codePoints().distinct().count());
        assertThat(loaded.encode(corpus)).containsExactly(t.encode(corpus));
        assertThat(loaded.encode(corpus)).hasSize((int) corpus.codePoints().count());
        assertThat(loaded.decode(loaded.encode(corpus))).isEqualTo(corpus);
        assertThat(TokenizerLoader.eosId(loaded)).isEqualTo(-1);
        assertThat(Files.list(dir).toList()).containsExactly(file); // no temporary file left
    }

    /** The Split regex written for Hugging Face isolates every code point, newlines and supplementary ones included. */
    @ParameterizedTest
    @MethodSource("corpora")
    void splitRegexIsolatesEveryCharacter(String corpus) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(CharTokenizer.SPLIT_REGEX).matcher(corpus);
        List<Integer> pieces = new ArrayList<>();
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).isEqualTo(end);
            pieces.add(m.group().codePointAt(0));
            assertThat(m.group().codePointCount(0, m.group().length())).isEqualTo(1);
            end = m.end();
        }
        assertThat(end).isEqualTo(corpus.length());
        assertThat(pieces).containsExactlyElementsOf(corpus.codePoints().boxed().toList());
    }

    @Test
    void unknownCharacterIsAnError() {
        CharTokenizer t = CharTokenizer.fromText("abc");
        assertThatThrownBy(() -> t.encode("abx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0078").hasMessageContaining("index 2").hasMessageContaining("3-character vocabulary");
    }

    @Test
    void corruptVocabularyNamesFileAndPath() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        CharTokenizer.fromText("ab").write(file);
        Files.writeString(file, Files.readString(file).replace("\"b\" : 1", "\"bc\" : 1"));
        assertThatThrownBy(() -> TokenizerLoader.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("model.vocab[\"bc\"]");
    }
}
