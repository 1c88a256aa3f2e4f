package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8StreamDecoderTest {

    /** Decodes ids[0, k) through a fresh stream: returns what came out before finish, and the total. */
    private static String[] stream(ByteLevelBpe bpe, int[] ids, int k) {
        Utf8StreamDecoder d = bpe.streamDecoder();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) sb.append(d.accept(ids[i]));
        String before = sb.toString();
        return new String[] {before, before + d.finish()};
    }

    /** Every prefix of the token stream: streamed text + finish equals a full decode of that prefix. */
    @ParameterizedTest
    @ValueSource(strings = {"Hello, wörld! 你好世界 🤖🧠 e\u0301 Ελληνικά", "日本語のテキスト😀😃😄", "plain ascii only"})
    void everyTokenPrefixMatchesFullDecode(String text) {
        for (ByteLevelBpe bpe : new ByteLevelBpe[] {SharedTokenizers.r50k(), SharedTokenizers.cl100k()}) {
            int[] ids = bpe.encode(text);
            for (int k = 0; k <= ids.length; k++) {
                int[] prefix = Arrays.copyOf(ids, k);
                String[] streamed = stream(bpe, ids, k);
                assertThat(streamed[1]).as(bpe.name() + " prefix " + k).isEqualTo(bpe.decode(prefix));
                assertThat(streamed[0]).doesNotContain("\uFFFD");
            }
        }
    }

    /** Feeding a string one byte token at a time splits every multi-byte character at every inner point. */
    @ParameterizedTest
    @ValueSource(strings = {"Ä€𝄞你", "🤖a🧠b\u0301", "Führer ½"})
    void everyByteSplitPointMatchesFullDecode(String text) {
        ByteLevelBpe bpe = SharedTokenizers.r50k();
        int[] byteIds = byteTokens(bpe, text.getBytes(StandardCharsets.UTF_8));
        Utf8StreamDecoder d = bpe.streamDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : byteIds) {
            String out = d.accept(id);
            assertThat(out).doesNotContain("\uFFFD");
            sb.append(out);
            assertThat(text).startsWith(sb.toString());
        }
        sb.append(d.finish());
        assertThat(sb.toString()).isEqualTo(text);
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 10).mapToObj(seed -> Arguments.of(seed));
    }

    /** Random bytes, mostly invalid UTF-8: the stream replaces exactly what the full decode replaces. */
    @ParameterizedTest
    @MethodSource("seeds")
    void invalidBytesReplaceLikeFullDecode(int seed) {
        Random r = new Random(seed);
        ByteLevelBpe bpe = SharedTokenizers.r50k();
        byte[] pool = {(byte) 0x41, (byte) 0x80, (byte) 0xBF, (byte) 0xC2, (byte) 0xC0, (byte) 0xE0, (byte) 0xED, (byte) 0xA0,
                (byte) 0x9F, (byte) 0xF0, (byte) 0x90, (byte) 0xF4, (byte) 0x8F, (byte) 0xF5, (byte) 0xFF, (byte) 0xE2, (byte) 0x82, (byte) 0xAC};
        for (int trial = 0; trial < 50; trial++) {
            byte[] bytes = new byte[1 + r.nextInt(23)];
            for (int i = 0; i < bytes.length; i++) bytes[i] = pool[r.nextInt(pool.length)];
            int[] ids = byteTokens(bpe, bytes);
            String expected = new String(bytes, StandardCharsets.UTF_8);
            assertThat(stream(bpe, ids, ids.length)[1]).as(Arrays.toString(bytes)).isEqualTo(expected);
            assertThat(bpe.decode(ids)).isEqualTo(expected);
        }
    }

    private static int[] byteTokens(ByteLevelBpe bpe, byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = singleByteId(bpe, bytes[i]);
        }
        return ids;
    }

    private static int singleByteId(ByteLevelBpe bpe, byte b) {
        for (int id = 0; id < 256; id++) {
            byte[] t = bpe.tokenBytes(id);
            if (t.length == 1 && t[0] == b) return id;
        }
        throw new AssertionError("no single-byte token for " + b);
    }
}
