package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Qwen3SpecialTokensTest {
    @Test
    void chatTokensMapToTheirIdsWhenSpecialsAreParsed() {
        HfTokenizer qwen = Qwen3Tokenizer.get();
        assertThat(qwen.addedTokenId("<|endoftext|>")).isEqualTo(151643);
        assertThat(qwen.addedTokenId("<|im_start|>")).isEqualTo(151644);
        assertThat(qwen.addedTokenId("<|im_end|>")).isEqualTo(151645);
        int[] ids = qwen.encode("<|im_start|>user\nhi<|im_end|><|endoftext|>");
        assertThat(ids[0]).isEqualTo(151644);
        assertThat(ids[ids.length - 2]).isEqualTo(151645);
        assertThat(ids[ids.length - 1]).isEqualTo(151643);
        assertThat(qwen.decode(ids)).isEqualTo("<|im_start|>user\nhi<|im_end|><|endoftext|>");
        assertThat(qwen.isSpecial(151645)).isTrue();
        assertThat(qwen.isSpecial(qwen.addedTokenId("<think>"))).isFalse();
    }

    @Test
    void qwenPatternRunsAsTheHandWrittenScanner() {
        assertThat(Qwen3Tokenizer.get().bpe().usesHandWrittenScanner()).isTrue();
    }

    @Test
    void ordinaryEncodingSplitsSpecialTextIntoPlainTokens() {
        HfTokenizer qwen = Qwen3Tokenizer.get();
        int[] ids = qwen.encodeOrdinary("<|im_end|>");
        assertThat(ids.length).isGreaterThan(1);
        assertThat(ids).doesNotContain(151645);
        assertThat(qwen.decode(ids)).isEqualTo("<|im_end|>");
    }

    @Test
    void configGivesNoBosAndEndOfTextAsEos() {
        HfTokenizer qwen = Qwen3Tokenizer.get();
        assertThat(qwen.config().addBosToken()).isFalse();
        assertThat(qwen.config().bosToken()).isNull();
        assertThat(qwen.bosId()).isEqualTo(-1);
        assertThat(qwen.config().eosToken()).isEqualTo("<|im_end|>");
        assertThat(qwen.eosId()).isEqualTo(151645);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 6).mapToObj(i -> 9000L + i * 31L);
    }

    /** Random mixed-script text round-trips up to NFC, which the tokenizer applies first. */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomTextRoundTripsUpToNfc(long seed) {
        Random r = new Random(seed);
        HfTokenizer qwen = Qwen3Tokenizer.get();
        for (int i = 0; i < 40; i++) {
            String text = randomText(r, 1 + r.nextInt(77));
            int[] ids = qwen.encodeOrdinary(text);
            assertThat(qwen.decode(ids)).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC));
            for (int id : ids) assertThat(id).isBetween(0, 151642);
        }
    }

    private static String randomText(Random r, int codePoints) {
        int[][] ranges = {{0x20, 0x7E}, {0x20, 0x7E}, {0x09, 0x0D}, {0xA0, 0xFF}, {0x300, 0x36F}, {0x410, 0x44F},
                {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1F64F}, {0x30, 0x39}, {0x2000, 0x200B}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int[] range = ranges[r.nextInt(ranges.length)];
            sb.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
        }
        return sb.toString();
    }
}
