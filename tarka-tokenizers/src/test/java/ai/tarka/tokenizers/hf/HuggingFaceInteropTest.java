package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.train.BpeTrainer;
import ai.tarka.tokenizers.train.BpeTrainerOptions;
import ai.tarka.tokenizers.train.TrainedBpe;
import ai.tarka.tokenizers.train.TrainingProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tarka against Hugging Face tokenizers itself (the Rust library, through DJL): tokenizer.json files Tarka writes load
 * unchanged there and give the same ids, and Qwen3's own tokenizer.json gives the same ids in both.
 */
class HuggingFaceInteropTest {

    /** Pairs of lines of English verse, prose, and news in three languages; {@code 22 * scale} pairs in all, plus edge cases. */
    private static List<String> mixedLines(int scale) throws IOException {
        List<String> lines = new ArrayList<>();
        addLines(lines, "tinyshakespeare/input.txt", 8 * scale);
        addLines(lines, "tinystories/tinystories-train-head.txt", 5 * scale);
        addLines(lines, "ntrex128-mt/newstest2019-src.eng.txt", 3 * scale);
        addLines(lines, "ntrex128-mt/newstest2019-ref.deu.txt", 3 * scale);
        addLines(lines, "ntrex128-mt/newstest2019-ref.spa.txt", 3 * scale);
        lines.addAll(List.of("", " ", "\n\n", "  leading spaces", "tabs\tand\r\nCRLF\r\n", "digits 1234567 and 3.14159",
                "emoji 🤖🎉 and CJK 中文字 and Ελληνικά", "it's they'll we'VE I'M", "e\u0301 composed é", "<|endoftext|> mid <|endoftext|>"));
        return lines;
    }

    private static void addLines(List<String> out, String file, int count) throws IOException {
        List<String> all = Files.readAllLines(SharedData.resolve(file));
        // every line keeps its newline, and pairs of lines give pieces that cross a line end
        for (int i = 0; i + 1 < all.size() && count > 0; i += 2, count--) out.add(all.get(i) + "\n" + all.get(i + 1) + "\n");
    }

    private static HuggingFaceTokenizer huggingFace(Path tokenizerJson) throws IOException {
        return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optTruncation(false).optPadding(false).optAddSpecialTokens(false).build();
    }

    private static void assertSameIds(TextTokenizer tarka, HuggingFaceTokenizer hf, List<String> texts) {
        int checked = 0;
        for (String text : texts) {
            long[] expected = hf.encode(text, false, false).getIds();
            int[] ids = tarka.encode(text);
            assertThat(Arrays.stream(ids).asLongStream().toArray()).as("ids of %s", text).containsExactly(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(texts.size());
    }

    @Test
    void qwen3TokenizerJsonGivesTheSameIdsInBoth(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz")))) {
            Files.copy(in, json);
        }
        List<String> lines = mixedLines(100);
        assertThat(lines.size()).isGreaterThan(2000); // pairs of lines: over 4000 lines
        lines.add("<|im_start|>user\nhi<|im_end|>\n<think>\n</think>");
        try (HuggingFaceTokenizer hf = huggingFace(json)) {
            assertSameIds(Qwen3Tokenizer.get(), hf, lines);
        }
    }

    @Test
    void bpeTrainedOnShakespeareWrittenByTarkaLoadsUnchanged(@TempDir Path dir) throws IOException {
        String text = Files.readString(SharedData.resolve("tinyshakespeare/input.txt")).substring(0, 100_000);
        for (Pattern pre : new Pattern[] {PreTokenizerPatterns.GPT2_PATTERN, PreTokenizerPatterns.QWEN2_PATTERN}) {
            var options = BpeTrainerOptions.of(500).withSpecialTokens(List.of("<|endoftext|>")).withPreTokenizer(pre).withCountingThreads(1);
            TrainedBpe bpe = new BpeTrainer(options).train(text, TrainingProgress.NONE);
            Path json = dir.resolve(pre == PreTokenizerPatterns.GPT2_PATTERN ? "gpt2" : "qwen2").resolve("tokenizer.json");
            Files.createDirectories(json.getParent());
            HfTokenizerJsonWriter.write(bpe, pre, json);
            HfTokenizer tarka = HfTokenizerJson.load(json);
            try (HuggingFaceTokenizer hf = huggingFace(json)) {
                assertSameIds(tarka, hf, mixedLines(20));
                // and Hugging Face decodes Tarka's ids back to the text
                String sample = "ROMEO:\nBut soft, what light through yonder window breaks?<|endoftext|>";
                long[] ids = Arrays.stream(tarka.encode(sample)).asLongStream().toArray();
                assertThat(hf.decode(ids, false)).isEqualTo(sample);
            }
        }
    }

    @Test
    void gpt2FilesWrittenAsTokenizerJsonGiveTheSameIdsInBoth(@TempDir Path dir) throws IOException {
        ByteLevelBpe gpt2 = Gpt2BpeLoader.load(SharedData.resolve("gpt2-bpe/encoder.json"), SharedData.resolve("gpt2-bpe/vocab.bpe"));
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(gpt2, json);
        try (HuggingFaceTokenizer hf = huggingFace(json)) {
            assertSameIds(gpt2, hf, mixedLines(30));
        }
    }
}
