package ai.tarka.tokenizers.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Llama2cTokenizerFileTest {
    private static final Path NAME = Path.of("tiny-tok.bin");

    private static byte[] file(int maxLen, Object... scoreAndToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(4).putInt(maxLen).array());
        for (int i = 0; i < scoreAndToken.length; i += 2) {
            byte[] t = scoreAndToken[i + 1] instanceof byte[] b ? b : ((String) scoreAndToken[i + 1]).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(le(8).putFloat((Float) scoreAndToken[i]).putInt(t.length).array());
            out.writeBytes(t);
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static final byte[] GOOD = file(6, 0f, "<unk>", 0f, "\n<s>\n", 0f, "\n</s>\n", -1.5f, " é", -2f, "");

    @Test
    void readsRecordsUpToTheEnd() {
        Llama2cTokenizerFile f = Llama2cTokenizerFile.parse(GOOD, NAME, -1);
        assertThat(f.maxTokenLength()).isEqualTo(6);
        assertThat(f.tokens()).containsExactly("<unk>", "\n<s>\n", "\n</s>\n", " é", "");
        assertThat(f.scores()).containsExactly(0f, 0f, 0f, -1.5f, -2f);
        assertThat(Llama2cTokenizerFile.parse(GOOD, NAME, 3).tokens()).hasSize(3);
    }

    /** Record boundaries of GOOD: cutting there is a valid shorter file, anywhere else it is truncated. */
    private static final int[] BOUNDARIES = {4, 4 + 13, 4 + 13 + 13, 4 + 13 + 13 + 14, 4 + 13 + 13 + 14 + 11};

    static Stream<Integer> cutPoints() {
        Random r = new Random(7);
        return IntStream.range(0, 12).mapToObj(i -> {
            while (true) {
                int cut = r.nextInt(GOOD.length);
                if (IntStream.of(BOUNDARIES).noneMatch(b -> b == cut)) return cut;
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cutPoints")
    void truncationNamesFileAndOffset(int cut) {
        byte[] cutFile = java.util.Arrays.copyOf(GOOD, cut);
        assertThatThrownBy(() -> Llama2cTokenizerFile.parse(cutFile, NAME, -1))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tiny-tok.bin").hasMessageContaining("byte offset").hasMessageContaining("truncated");
    }

    @Test
    void tooFewTokensForTheModelIsTruncation() {
        assertThatThrownBy(() -> Llama2cTokenizerFile.parse(GOOD, NAME, 6))
                .hasMessageContaining("tiny-tok.bin").hasMessageContaining("byte offset " + GOOD.length).hasMessageContaining("token 5");
    }

    @Test
    void badLengthAndBadUtf8NameTheirOffsets() {
        byte[] longToken = file(3, 0f, "abcd");
        assertThatThrownBy(() -> Llama2cTokenizerFile.parse(longToken, NAME, -1))
                .hasMessageContaining("tiny-tok.bin").hasMessageContaining("byte offset 8").hasMessageContaining("length 4");
        byte[] badUtf8 = file(4, 0f, "ok", 0f, new byte[] {(byte) 0xC3, 'x'});
        assertThatThrownBy(() -> Llama2cTokenizerFile.parse(badUtf8, NAME, -1))
                .hasMessageContaining("byte offset " + (4 + 8 + 2 + 8)).hasMessageContaining("token 1").hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Llama2cTokenizerFile.parse(file(0), NAME, -1)).hasMessageContaining("max_token_length is 0");
    }

    @Test
    void spacesBecomeTheSentencePieceMark() {
        var tok = Llama2cTokenizers.fromFile(Llama2cTokenizerFile.parse(
                file(6, 0f, "<unk>", 0f, "<s>", 0f, "</s>", 0f, " ", -1f, "a", -2f, " a"), NAME, -1));
        assertThat(tok.encode("a a")).containsExactly(5, 5);
        assertThat(tok.decode(new int[] {1, 5, 5})).isEqualTo("a a");
    }
}
