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
        int[] found = new int[2];
        assertThat(specials.find("..<|a|>x..", 0, 10, found)).isEqualTo(2);
        assertThat(found).containsExactly(2, 8);
        // the region end cuts the longer one off
        assertThat(specials.find("..<|a|>x..", 0, 7, found)).isEqualTo(2);
        assertThat(found).containsExactly(1, 7);
        assertThat(specials.find("..<|a|>x..", 3, 10, found)).isEqualTo(-1);
    }

    static java.util.stream.Stream<Integer> seeds() {
        return java.util.stream.IntStream.range(0, 6).boxed();
    }

    /** The scan finds what a regex alternation of the quoted tokens, longest first, finds (the plain reference). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void scanFindsWhatTheRegexAlternationFinds(int seed) {
        java.util.Random r = new java.util.Random(seed);
        String[] alphabet = {"<", "|", ">", "a", "b", "<|", "|>", "é", "\uD83E\uDD16", " "};
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < 1 + r.nextInt(7); i++) {
            StringBuilder t = new StringBuilder();
            for (int k = 0; k < 1 + r.nextInt(4); k++) t.append(alphabet[r.nextInt(alphabet.length)]);
            ids.putIfAbsent(t.toString(), 1000 + i);
        }
        SpecialTokens specials = new SpecialTokens(ids);
        java.util.List<String> longestFirst = new java.util.ArrayList<>(ids.keySet());
        longestFirst.sort(java.util.Comparator.comparingInt(String::length).reversed());
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile(String.join("|", longestFirst.stream().map(java.util.regex.Pattern::quote).toList()));
        for (int n = 0; n < 50; n++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < r.nextInt(30); k++) text.append(alphabet[r.nextInt(alphabet.length)]);
            String s = text.toString();
            java.util.regex.Matcher m = regex.matcher(s);
            int[] found = new int[2];
            int from = 0;
            while (true) {
                boolean expected = m.find(from);
                int at = specials.find(s, from, s.length(), found);
                if (!expected) {
                    assertThat(at).as(s).isEqualTo(-1);
                    break;
                }
                assertThat(at).as(s).isEqualTo(m.start());
                assertThat(found[1]).as(s).isEqualTo(m.end());
                assertThat(found[0]).as(s).isEqualTo(ids.get(m.group()));
                from = m.end();
            }
        }
    }
}
