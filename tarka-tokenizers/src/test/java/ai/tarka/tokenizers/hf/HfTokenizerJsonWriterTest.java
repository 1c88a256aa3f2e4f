package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.train.BpeTrainer;
import ai.tarka.tokenizers.train.BpeTrainerOptions;
import ai.tarka.tokenizers.train.Gpt2BpeFiles;
import ai.tarka.tokenizers.train.TrainedBpe;
import ai.tarka.tokenizers.train.TrainingProgress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written tokenizer.json loads back into a tokenizer that encodes exactly as the original. */
class HfTokenizerJsonWriterTest {
    private static TrainedBpe trained;

    @BeforeAll
    static void train() throws IOException {
        var options = BpeTrainerOptions.of(500).withSpecialTokens(List.of("<|endoftext|>")).withCountingThreads(2);
        trained = new BpeTrainer(options).train(SharedData.resolve("cs336-bpe-fixtures/corpus.en"), TrainingProgress.NONE);
    }

    @Test
    void trainedTokenizerRoundTripsThroughTokenizerJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(trained, json);
        Gpt2BpeFiles.writeVocabJson(trained, dir.resolve("vocab.json"));
        Gpt2BpeFiles.writeMerges(trained, dir.resolve("merges.txt"), false);
        HfTokenizer reloaded = HfTokenizerJson.load(json);
        ByteLevelBpe viaGpt2Files = Gpt2BpeLoader.load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));

        assertThat(reloaded.bpe().vocabularySize()).isEqualTo(500);
        assertThat(reloaded.addedTokenId("<|endoftext|>")).isEqualTo(0);
        assertThat(reloaded.isSpecial(0)).isTrue();
        List<String> texts = new ArrayList<>(Files.readAllLines(SharedData.resolve("cs336-bpe-fixtures/corpus.en")));
        texts.add(Files.readString(SharedData.resolve("tinyshakespeare/input.txt")).substring(0, 20_000));
        texts.add("two stories<|endoftext|>and more  \n\n  tabs\there, ünïcödé 😀 123456");
        int nonEmpty = 0;
        for (String text : texts) {
            int[] ids = reloaded.encode(text);
            assertThat(ids).as(text).containsExactly(viaGpt2Files.encode(text));
            assertThat(reloaded.decode(ids)).isEqualTo(text);
            for (int i = 0; i < ids.length; i++) {
                assertThat(reloaded.bpe().tokenBytes(ids[i])).isEqualTo(trained.tokenBytes(ids[i]));
            }
            if (ids.length > 0) nonEmpty++;
        }
        assertThat(nonEmpty).isGreaterThan(100);
        assertThat(reloaded.encode("<|endoftext|>")).containsExactly(0);
    }

    @Test
    void gpt2FilesRoundTripToTheTiktokenIds(@TempDir Path dir) throws IOException {
        ObjectMapper om = new ObjectMapper();
        Map<String, Integer> vocab = new HashMap<>();
        JsonNode encoder = om.readTree(SharedData.resolve("gpt2-bpe/encoder.json").toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = encoder.fields(); it.hasNext(); ) {
            var e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        List<ByteLevelVocab.Merge> merges = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.resolve("gpt2-bpe/vocab.bpe"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#version") || line.isBlank()) continue;
            String[] parts = line.split(" ");
            merges.add(new ByteLevelVocab.Merge(parts[0], parts[1]));
        }
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(vocab, merges, List.of(new HfAddedToken(50256, "<|endoftext|>", true)),
                PreTokenizerPatterns.GPT2, false, json);
        HfTokenizer reloaded = HfTokenizerJson.load(json);
        int checked = 0;
        for (String line : Files.readAllLines(SharedData.resolve("tiktoken/r50k_base.expected.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode n = om.readTree(line);
            int[] ids = new int[n.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = n.get("ids").get(i).asInt();
            assertThat(reloaded.encodeOrdinary(n.get("text").asText())).as(n.get("text").asText()).containsExactly(ids);
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(reloaded.encode("a<|endoftext|>")).containsExactly(64, 50256);
    }

    @Test
    void loadedTiktokenAndGpt2TokenizersRoundTrip(@TempDir Path dir) throws IOException {
        ByteLevelBpe r50k = ai.tarka.tokenizers.bpe.TiktokenEncoding.R50K_BASE.load(SharedData.resolve("tiktoken/r50k_base.tiktoken"));
        ByteLevelBpe gpt2 = Gpt2BpeLoader.load(SharedData.resolve("gpt2-bpe/encoder.json"), SharedData.resolve("gpt2-bpe/vocab.bpe"));
        HfTokenizerJsonWriter.write(r50k, dir.resolve("r50k.tokenizer.json"));
        HfTokenizerJsonWriter.write(gpt2, dir.resolve("gpt2.tokenizer.json"));
        HfTokenizer fromR50k = HfTokenizerJson.load(dir.resolve("r50k.tokenizer.json"));
        HfTokenizer fromGpt2 = HfTokenizerJson.load(dir.resolve("gpt2.tokenizer.json"));
        assertThat(new ObjectMapper().readTree(dir.resolve("r50k.tokenizer.json").toFile()).get("model").get("ignore_merges").asBoolean()).isTrue();
        ObjectMapper om = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.resolve("tiktoken/r50k_base.expected.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) texts.add(om.readTree(line).get("text").asText());
        }
        texts.add(Files.readString(SharedData.resolve("tinyshakespeare/input.txt")).substring(0, 20_000));
        for (String text : texts) {
            assertThat(fromR50k.encodeOrdinary(text)).as(text).containsExactly(r50k.encodeOrdinary(text));
            assertThat(fromGpt2.encodeOrdinary(text)).as(text).containsExactly(gpt2.encodeOrdinary(text));
        }
        assertThat(fromR50k.encode("x<|endoftext|>")).containsExactly(r50k.encode("x<|endoftext|>"));
    }

    @Test
    void keysMatchQwen3TokenizerJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(trained, json);
        ObjectMapper om = new ObjectMapper();
        JsonNode ours = om.readTree(json.toFile());
        JsonNode qwen;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz")))) {
            qwen = om.readTree(in);
        }
        assertThat(keys(ours)).containsExactlyElementsOf(keys(qwen));
        assertThat(keys(ours.get("model"))).containsExactlyElementsOf(keys(qwen.get("model")));
        assertThat(keys(ours.get("added_tokens").get(0))).containsExactlyElementsOf(keys(qwen.get("added_tokens").get(0)));
        assertThat(ours.get("version").asText()).isEqualTo("1.0");
        assertThat(ours.get("model").get("merges").get(0).isArray()).isTrue();
        assertThat(ours.get("pre_tokenizer").get("type").asText()).isEqualTo("ByteLevel");
        assertThat(ours.get("decoder").get("type").asText()).isEqualTo("ByteLevel");
        assertThat(ours.get("post_processor").get("type").asText()).isEqualTo("ByteLevel");
        // the vocab is written in id order
        Iterator<JsonNode> ids = ours.get("model").get("vocab").elements();
        int expect = 0;
        while (ids.hasNext()) assertThat(ids.next().asInt()).isEqualTo(expect++);
        assertThat(expect).isEqualTo(500);
    }

    @Test
    void nonGpt2PatternIsWrittenAsSplitThenByteLevelAndReadBack(@TempDir Path dir) throws IOException {
        var options = BpeTrainerOptions.of(300).withPreTokenizer(PreTokenizerPatterns.CL100K_PATTERN).withCountingThreads(1);
        String text = "the cat sat on the mat; 12345 the hat's flat\n\nthe end";
        TrainedBpe bpe = new BpeTrainer(options).train(text, TrainingProgress.NONE);
        Path json = dir.resolve("tokenizer.json");
        HfTokenizerJsonWriter.write(bpe, PreTokenizerPatterns.CL100K_PATTERN, json);
        JsonNode pre = new ObjectMapper().readTree(json.toFile()).get("pre_tokenizer");
        assertThat(pre.get("type").asText()).isEqualTo("Sequence");
        assertThat(pre.get("pretokenizers").get(0).get("pattern").get("Regex").asText()).isEqualTo(PreTokenizerPatterns.CL100K);
        assertThat(pre.get("pretokenizers").get(1).get("use_regex").asBoolean()).isFalse();
        HfTokenizer reloaded = HfTokenizerJson.load(json);
        int[] ids = reloaded.encode("12345 the cat");
        // cl100k splits digits in threes; GPT-2's regex would keep "12345" in one piece
        assertThat(reloaded.decode(new int[] {ids[0]}).length()).isLessThanOrEqualTo(3);
        assertThat(reloaded.decode(ids)).isEqualTo("12345 the cat");
    }

    @Test
    void duplicateTokenTextIsRefusedAndNoFileIsLeft(@TempDir Path dir) {
        var options = BpeTrainerOptions.of(300).withSpecialTokens(List.of("a")).withCountingThreads(1);
        TrainedBpe bpe = new BpeTrainer(options).train("xyz", TrainingProgress.NONE);
        assertThatThrownBy(() -> HfTokenizerJsonWriter.write(bpe, dir.resolve("tokenizer.json")))
                .hasMessageContaining("token a").hasMessageContaining("appears twice");
        assertThat(dir.resolve("tokenizer.json")).doesNotExist();
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
