package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
    private static final class References {
        static final ReferenceBpe R50K = new ReferenceBpe(SharedTokenizers.r50k(), 50256, PreTokenizerPatterns.GPT2_PATTERN);
        static final ReferenceBpe CL100K = new ReferenceBpe(SharedTokenizers.cl100k(), 100256, PreTokenizerPatterns.CL100K_PATTERN);
        static final ReferenceBpe O200K = new ReferenceBpe(SharedTokenizers.o200k(), 199998, PreTokenizerPatterns.O200K_PATTERN);
    }

    static Stream<Arguments> tokenizers() {
        return Stream.of(
                Arguments.of("r50k_base", (Supplier<ByteLevelBpe>) SharedTokenizers::r50k),
                Arguments.of("cl100k_base", (Supplier<ByteLevelBpe>) SharedTokenizers::cl100k),
                Arguments.of("o200k_base", (Supplier<ByteLevelBpe>) SharedTokenizers::o200k),
                Arguments.of("gpt2 files", (Supplier<ByteLevelBpe>) SharedTokenizers::gpt2Files));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void tinyShakespeareRoundTrips(String name, Supplier<ByteLevelBpe> tokenizer) {
        String text = SharedTokenizers.read("tinyshakespeare/input.txt");
        ByteLevelBpe bpe = tokenizer.get();
        int[] ids = bpe.encode(text);
        assertThat(ids.length).isBetween(text.length() / 8, text.length() / 2);
        assertThat(bpe.decode(ids)).isEqualTo(text);
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 12).mapToObj(seed -> Arguments.of(seed));
    }

    /** Random Unicode (no lone surrogates) round-trips and merges exactly as the plain tiktoken reference. */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomUnicodeRoundTripsAndMatchesReference(int seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 40; i++) {
            String text = RandomText.next(r, 1 + r.nextInt(60));
            for (ByteLevelBpe bpe : new ByteLevelBpe[] {SharedTokenizers.r50k(), SharedTokenizers.cl100k(), SharedTokenizers.o200k(), SharedTokenizers.gpt2Files()}) {
                assertThat(bpe.decode(bpe.encodeOrdinary(text))).as(bpe.name() + " on " + text).isEqualTo(text);
            }
            assertThat(SharedTokenizers.r50k().encodeOrdinary(text)).as(text).containsExactly(References.R50K.encodeOrdinary(text));
            assertThat(SharedTokenizers.gpt2Files().encodeOrdinary(text)).as(text).containsExactly(References.R50K.encodeOrdinary(text));
            assertThat(SharedTokenizers.cl100k().encodeOrdinary(text)).as(text).containsExactly(References.CL100K.encodeOrdinary(text));
            assertThat(SharedTokenizers.o200k().encodeOrdinary(text)).as(text).containsExactly(References.O200K.encodeOrdinary(text));
        }
    }

    /** Lone surrogates cannot be UTF-8: like tiktoken they are encoded as U+FFFD, so they come back as U+FFFD. */
    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        String text = "a\uD800b \uDC00c \uD83D\uDE00 end\uD83D";
        ByteLevelBpe bpe = SharedTokenizers.cl100k();
        assertThat(bpe.decode(bpe.encode(text))).isEqualTo("a\uFFFDb \uFFFDc \uD83D\uDE00 end\uFFFD");
        assertThat(bpe.encode(text)).containsExactly(bpe.encode("a\uFFFDb \uFFFDc \uD83D\uDE00 end\uFFFD"));
    }

    /** Pieces from {@link ByteLevelBpe#HEAP_MERGE_FROM} bytes on go through the heap merger; it must agree. */
    @ParameterizedTest
    @MethodSource("seeds")
    void longPiecesMergeLikeTheReference(int seed) {
        Random r = new Random(1000 + seed);
        String letters = "etaoinshrdlucmfwypvbgkjqxz";
        StringBuilder sb = new StringBuilder();
        int n = ByteLevelBpe.HEAP_MERGE_FROM - 20 + r.nextInt(300);
        for (int i = 0; i < n; i++) sb.append(letters.charAt(Math.min(letters.length() - 1, (int) Math.abs(r.nextGaussian() * 6))));
        if (r.nextBoolean()) sb.append("é".repeat(1 + r.nextInt(80)));
        String text = sb.toString();
        assertThat(SharedTokenizers.cl100k().encodeOrdinary(text)).as(text).containsExactly(References.CL100K.encodeOrdinary(text));
        assertThat(SharedTokenizers.r50k().encodeOrdinary(text)).as(text).containsExactly(References.R50K.encodeOrdinary(text));
        assertThat(SharedTokenizers.gpt2Files().encodeOrdinary(text)).as(text).containsExactly(References.R50K.encodeOrdinary(text));
    }

    /** A huge single piece (cl100k's whitespace branch) must not take quadratic time; it round-trips. */
    @Test
    void hugeWhitespacePieceRoundTrips() {
        String text = " ".repeat(200_000) + "x";
        ByteLevelBpe bpe = SharedTokenizers.cl100k();
        int[] ids = bpe.encode(text);
        assertThat(ids.length).isLessThan(20_000);
        assertThat(bpe.decode(ids)).isEqualTo(text);
    }

    /** A pattern without a hand-written scanner goes through java.util.regex; it must give the same ids. */
    @Test
    void regexPathEqualsScannerPath() {
        java.util.regex.Pattern sameAsCl100k = PreTokenizerPatterns.compile(PreTokenizerPatterns.CL100K + "|(?!)");
        ByteLevelBpe viaRegex = TiktokenLoader.load("cl100k-regex", ai.tarka.common.SharedData.resolve("tiktoken/cl100k_base.tiktoken"),
                sameAsCl100k, TiktokenEncoding.CL100K_BASE.specialTokens());
        String text = SharedTokenizers.read("tinyshakespeare/input.txt").substring(0, 100_000) + SharedTokenizers.read("cs336-bpe-fixtures/german.txt");
        assertThat(viaRegex.encode(text)).containsExactly(SharedTokenizers.cl100k().encode(text));
        Random r = new Random(7);
        for (int i = 0; i < 100; i++) {
            String t = RandomText.next(r, 50);
            assertThat(viaRegex.encode(t)).as(t).containsExactly(SharedTokenizers.cl100k().encode(t));
        }
    }

    @Test
    void longRunsMergeLikeTheReference() {
        String text = " ".repeat(700) + "a".repeat(513) + "\n".repeat(300) + "1234567".repeat(40);
        assertThat(SharedTokenizers.cl100k().encodeOrdinary(text)).containsExactly(References.CL100K.encodeOrdinary(text));
        assertThat(SharedTokenizers.r50k().encodeOrdinary(text)).containsExactly(References.R50K.encodeOrdinary(text));
        assertThat(SharedTokenizers.cl100k().decode(SharedTokenizers.cl100k().encode(text))).isEqualTo(text);
    }
}
