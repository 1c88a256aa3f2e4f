package ai.tarka.tokenizers.llama2c;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Llama2cTokenizersTest {
    private static final Llama2cTokenizerFile FILE = Llama2cTokenizerFile.read(SharedData.resolve("stories260K/tok512.bin"));
    private static final SentencePieceBpeTokenizer TOK = Llama2cTokenizers.fromFile(FILE);
    private static final SentencePieceBpeTokenizer FROM_GGUF =
            SentencePieceBpeTokenizer.fromGguf(GgufFile.open(SharedData.resolve("stories260K/stories260K.gguf")));

    @Test
    void readsTheWholeVocabulary() {
        assertThat(FILE.vocabSize()).isEqualTo(512);
        assertThat(FILE.maxTokenLength()).isEqualTo(7);
        assertThat(FILE.tokens()[0]).isEqualTo("<unk>");
        assertThat(FILE.tokens()[3]).isEqualTo("<0x00>");
        assertThat(FILE.tokens()[258]).isEqualTo("<0xFF>");
        assertThat(FILE.tokens()[403]).isEqualTo(" Once");
        assertThat(FILE.scores()[261]).isEqualTo(-2f);
        assertThat(TOK.vocabSize()).isEqualTo(512);
    }

    private static int[] expectedGreedyIds() throws IOException {
        String line = Files.readAllLines(SharedData.resolve("stories260K/expected-greedy-200.ids.txt")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
        return Arrays.stream(line.strip().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** run.c's greedy output: its ids (after BOS) decode to its printed text, less the newline run.c adds at the end. */
    @Test
    void decodesTheGreedyRunToItsText() throws IOException {
        int[] ids = expectedGreedyIds();
        assertThat(ids).hasSize(200);
        String text = Files.readString(SharedData.resolve("stories260K/expected-greedy-200.txt"), StandardCharsets.UTF_8);
        String expected = text.substring(0, text.length() - 1);
        assertThat(TOK.decode(ids)).isEqualTo(expected);
        int[] withBos = new int[201];
        withBos[0] = Llama2cTokenizers.BOS;
        System.arraycopy(ids, 0, withBos, 1, 200);
        assertThat(TOK.decode(withBos)).isEqualTo(expected);
    }

    /**
     * The run had an empty prompt (just BOS), so the ids are the model's choices, not an encoding; still, encoding the
     * generated text gives exactly those 200 ids back (the model always picked the tokenizer's own segmentation).
     */
    @Test
    void encodingTheGreedyTextGivesItsIds() throws IOException {
        String text = Files.readString(SharedData.resolve("stories260K/expected-greedy-200.txt"), StandardCharsets.UTF_8);
        assertThat(TOK.encode(text.substring(0, text.length() - 1))).containsExactly(expectedGreedyIds());
        assertThat(TOK.encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        assertThat(TOK.encode("")).isEmpty();
        assertThat(Llama2cTokenizers.encode(TOK, "", true, false)).containsExactly(Llama2cTokenizers.BOS);
        assertThat(Llama2cTokenizers.encode(TOK, "Once", true, true)).containsExactly(1, 403, 2);
    }

    @Test
    void hasTheSameVocabularyAsTheGguf() {
        GgufFile gguf = GgufFile.open(SharedData.resolve("stories260K/stories260K.gguf"));
        Llama2cTokenizers.Vocabulary v = Llama2cTokenizers.vocabulary(FILE);
        assertThat(v.tokens()).containsExactly(gguf.getStringArray("tokenizer.ggml.tokens"));
        assertThat(v.scores()).containsExactly(gguf.getFloatArray("tokenizer.ggml.scores"));
        assertThat(v.types()).containsExactly(gguf.getIntArray("tokenizer.ggml.token_type"));
    }

    static Stream<String> shakespeareLines() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.resolve("tinyshakespeare/input.txt"), StandardCharsets.UTF_8);
        Random r = new Random(512);
        return Stream.concat(lines.stream().limit(40), IntStream.range(0, 160).mapToObj(i -> lines.get(r.nextInt(lines.size()))));
    }

    /** llama.cpp's converter copied tok512.bin into stories260K.gguf; both readings must encode alike. */
    @ParameterizedTest
    @MethodSource("shakespeareLines")
    void agreesWithTheGgufVocabulary(String line) {
        int[] ids = TOK.encode(line);
        assertThat(ids).isEqualTo(FROM_GGUF.encode(line));
        assertThat(TOK.decode(ids)).isEqualTo(line);
    }

    @Test
    void byteFallbackRoundTrips() {
        String text = "Zoë \u6211 \uD83E\uDD99!";
        int[] ids = TOK.encode(text);
        assertThat(IntStream.of(ids).filter(id -> id >= 3 && id <= 258).count()).isPositive();
        assertThat(ids).isEqualTo(FROM_GGUF.encode(text));
        assertThat(TOK.decode(ids)).isEqualTo(text);
    }
}
