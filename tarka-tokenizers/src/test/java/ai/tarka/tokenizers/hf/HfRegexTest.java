package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HfRegexTest {
    @Test
    void commonPatternsKeepTheirTextSoTheScannersStillApply() {
        for (String p : new String[] {PreTokenizerPatterns.GPT2, PreTokenizerPatterns.CL100K, PreTokenizerPatterns.O200K}) {
            assertThat(HfRegex.translate(p)).isEqualTo(p);
        }
    }

    @Test
    void scriptNamesGetJavasIsPrefixAndCaretNegationBecomesCapitalP() {
        assertThat(HfRegex.translate("\\p{Han}+|\\p{^Han}")).isEqualTo("\\p{IsHan}+|\\P{IsHan}");
        Pattern p = HfRegex.compile("\\p{Han}+|\\p{^Han}+");
        assertThat(pieces(p, "中文abc字")).containsExactly("中文", "abc", "字");
    }

    @Test
    void onigurumaHexDigitEscapeIsTranslated() {
        Pattern p = HfRegex.compile("\\h+|[\\h_]+|\\H");
        assertThat(pieces(p, "beef zz_1")).containsExactly("beef", " ", "z", "z", "_1");
    }

    @Test
    void escapedBackslashIsLeftAlone() {
        assertThat(HfRegex.translate("\\\\h\\\\p{L}")).isEqualTo("\\\\h\\\\p{L}");
    }

    @Test
    void whitespaceClassIsUnicode() {
        assertThat(pieces(HfRegex.compile("\\s+|\\S+"), "a\u3000b")).containsExactly("a", "\u3000", "b");
    }

    private static List<String> pieces(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }
}
