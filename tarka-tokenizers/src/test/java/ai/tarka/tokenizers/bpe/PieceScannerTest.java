package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written GPT-2, cl100k, Qwen2 and o200k scanners must cut exactly where their regexes cut. */
class PieceScannerTest {

    private static List<String> regexPieces(String text) {
        return regexPieces(PreTokenizerPatterns.GPT2_PATTERN, text);
    }

    private static List<String> regexPieces(java.util.regex.Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int covered = 0;
        while (m.find()) {
            assertThat(m.start()).as("regex pieces tile the text").isEqualTo(covered);
            out.add(m.group());
            covered = m.end();
        }
        assertThat(covered).isEqualTo(text.length());
        return out;
    }

    private static List<String> scannerPieces(String text) {
        return scannerPieces(false, text);
    }

    private static List<String> scannerPieces(boolean cl100k, String text) {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = cl100k ? Cl100kPieceScanner.pieceEnd(text, start, text.length()) : Gpt2PieceScanner.pieceEnd(text, start, text.length());
            assertThat(end).isGreaterThan(start);
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    private static List<String> qwen2Pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = Cl100kPieceScanner.pieceEnd(text, start, text.length(), 1);
            assertThat(end).isGreaterThan(start);
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    private static List<String> o200kPieces(String text) {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = O200kPieceScanner.pieceEnd(text, start, text.length());
            assertThat(end).isGreaterThan(start);
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "  ", "a", " a", "'", "'s", "'re'", "'x", "I'm you'll 'LL", "a  b", "a \n b", "\n\n\n",
            " \u00a0x", "x \u2003 y\u3000", "½ 123 4", " !!? ,", "\t\n a", "end  ", "𝐀𝐁 𝟏 🤖 x", "e\u0301 ", "\u0085 \u2028z"})
    void sameAsRegexOnEdgeCases(String text) {
        assertThat(scannerPieces(text)).isEqualTo(regexPieces(text));
        assertThat(scannerPieces(true, text)).isEqualTo(regexPieces(PreTokenizerPatterns.CL100K_PATTERN, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'S 'Re 'ſ 'LL 'Ve 'D 'x", "a\r\n\r\n  b", "  \n  x", " \n", "\n\n", "x\n", "12345 6 7890123",
            "(word) \"quoted\" 🤖word é1", "!!\n\n!!\r", " !? \t!", "\u00a0word \u3000字", "a1b22c333d4444", "  \r\n\t end\n  "})
    void cl100kSameAsRegexOnEdgeCases(String text) {
        assertThat(scannerPieces(true, text)).isEqualTo(regexPieces(PreTokenizerPatterns.CL100K_PATTERN, text));
        assertThat(qwen2Pieces(text)).isEqualTo(regexPieces(PreTokenizerPatterns.QWEN2_PATTERN, text));
        assertThat(o200kPieces(text)).isEqualTo(regexPieces(PreTokenizerPatterns.O200K_PATTERN, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HelloWorld", "HELLOWorld", "helloWORLD", "ABCdef'S", "ÉtéÀ", "Ǆungla ǅx", "ʰaʰBʰ", "中文English中文",
            "\u0301ab", " \u0301A", "e\u0301\u0302X", "a/b\n/", "?!/\r\n", "A\u0301\u0301", "ΑΒΓαβγ ΔΕ", "x'LL'll", "\tWord"})
    void o200kSameAsRegexOnEdgeCases(String text) {
        assertThat(o200kPieces(text)).isEqualTo(regexPieces(PreTokenizerPatterns.O200K_PATTERN, text));
        assertThat(o200kPieces(" " + text + " ")).isEqualTo(regexPieces(PreTokenizerPatterns.O200K_PATTERN, " " + text + " "));
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 10).mapToObj(seed -> Arguments.of(seed));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sameAsRegexOnRandomUnicode(int seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            String text = RandomText.next(r, r.nextInt(80));
            assertThat(scannerPieces(text)).as(text).isEqualTo(regexPieces(text));
            assertThat(scannerPieces(true, text)).as(text).isEqualTo(regexPieces(PreTokenizerPatterns.CL100K_PATTERN, text));
            assertThat(qwen2Pieces(text)).as(text).isEqualTo(regexPieces(PreTokenizerPatterns.QWEN2_PATTERN, text));
            assertThat(o200kPieces(text)).as(text).isEqualTo(regexPieces(PreTokenizerPatterns.O200K_PATTERN, text));
        }
    }

    @Test
    void sameAsRegexOnTinyShakespeareAndFixtures() {
        for (String f : new String[] {"tinyshakespeare/input.txt", "cs336-bpe-fixtures/german.txt", "cs336-bpe-fixtures/corpus.en"}) {
            String text = SharedTokenizers.read(f);
            assertThat(scannerPieces(text)).as(f).isEqualTo(regexPieces(text));
            assertThat(scannerPieces(true, text)).as(f).isEqualTo(regexPieces(PreTokenizerPatterns.CL100K_PATTERN, text));
            assertThat(qwen2Pieces(text)).as(f).isEqualTo(regexPieces(PreTokenizerPatterns.QWEN2_PATTERN, text));
            assertThat(o200kPieces(text)).as(f).isEqualTo(regexPieces(PreTokenizerPatterns.O200K_PATTERN, text));
        }
    }

    @Test
    void everyBmpAndSampledSupplementaryCharacterClassifiesLikeTheRegex() {
        java.util.regex.Pattern s = java.util.regex.Pattern.compile("\\s", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        java.util.regex.Pattern l = java.util.regex.Pattern.compile("\\p{L}", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        java.util.regex.Pattern n = java.util.regex.Pattern.compile("\\p{N}", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        for (int cp = 0; cp < 0x30000; cp += cp < 0x10000 ? 1 : 7) {
            if (Character.isSurrogate((char) cp) && cp < 0x10000) continue;
            String t = Character.toString(cp);
            int expected = s.matcher(t).matches() ? 3 : l.matcher(t).matches() ? 1 : n.matcher(t).matches() ? 2 : 0;
            assertThat(PieceCharClass.of(cp)).as("U+%04X", cp).isEqualTo(expected);
        }
    }
}
