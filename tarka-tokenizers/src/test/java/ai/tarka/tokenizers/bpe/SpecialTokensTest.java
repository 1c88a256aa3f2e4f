package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpecialTokensTest {
    @Test
    void specialTokenTextIsRecognisedOrPlainOnRequest() {
        ByteLevelBpe bpe = SharedTokenizers.cl100k();
        String text = "Hi<|endoftext|>there<|fim_prefix|><|endofprompt|>";
        int[] recognised = bpe.encode(text, SpecialTokenPolicy.RECOGNISE);
        int[] plain = bpe.encode(text, SpecialTokenPolicy.PLAIN_TEXT);
        assertThat(recognised).contains(100257, 100258, 100276);
        assertThat(plain).doesNotContain(100257, 100258, 100276);
        assertThat(bpe.decode(recognised)).isEqualTo(text);
        assertThat(bpe.decode(plain)).isEqualTo(text);
        int[] hi = bpe.encodeOrdinary("Hi");
        assertThat(recognised[hi.length]).isEqualTo(100257);
    }

    /** Pre-tokenization does not look across a special token: the text on each side is encoded on its own. */
    @Test
    void textAroundASpecialIsEncodedSeparately() {
        ByteLevelBpe bpe = SharedTokenizers.r50k();
        int[] left = bpe.encodeOrdinary("hello  ");
        int[] right = bpe.encodeOrdinary(" world");
        int[] all = bpe.encode("hello  <|endoftext|> world");
        assertThat(all).hasSize(left.length + 1 + right.length);
        assertThat(all[left.length]).isEqualTo(50256);
    }

    @Test
    void unknownIdIsAClearError() {
        ByteLevelBpe bpe = SharedTokenizers.r50k();
        assertThatThrownBy(() -> bpe.decode(new int[] {15496, 50257})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50257").hasMessageContaining("r50k_base");
        assertThatThrownBy(() -> bpe.decode(new int[] {-1})).hasMessageContaining("-1");
    }

    @Test
    void longerSpecialWinsAtTheSamePlace() {
        SpecialTokens specials = new SpecialTokens(java.util.Map.of("<|a|>", 1, "<|a|>x", 2));
        java.util.regex.Matcher m = specials.finder().matcher("..<|a|>x..");
        assertThat(m.find()).isTrue();
        assertThat(m.group()).isEqualTo("<|a|>x");
    }
}
