package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.GgufBpeLoader;
import ai.tarka.tokenizers.bpe.ToyGguf;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GGUF byte-level BPE with {@code tokenizer.ggml.pre = "qwen2"} and {@code "llama-bpe"}. The shared data has no Qwen2
 * or Llama 3 GGUF, so the Qwen2 one is built from Qwen3's tokenizer.json content as llama.cpp's converter writes it
 * (tokens by id, "left right" merges, added special tokens as control tokens) and checked against llama.cpp's expected
 * Qwen2 ids and the tokenizer.json loader.
 */
class GgufQwen2PreTokenizerTest {
    private static ByteLevelBpe qwen2;

    @BeforeAll
    static void buildGguf() throws IOException {
        JsonNode root;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz")))) {
            root = new ObjectMapper().readTree(in);
        }
        int size = 0;
        for (Map.Entry<String, JsonNode> e : root.get("model").get("vocab").properties()) size = Math.max(size, e.getValue().asInt() + 1);
        for (JsonNode t : root.get("added_tokens")) size = Math.max(size, t.get("id").asInt() + 1);
        String[] tokens = new String[size];
        int[] types = new int[size];
        Arrays.fill(types, 1);
        for (Map.Entry<String, JsonNode> e : root.get("model").get("vocab").properties()) tokens[e.getValue().asInt()] = e.getKey();
        for (JsonNode t : root.get("added_tokens")) {
            tokens[t.get("id").asInt()] = t.get("content").asText();
            types[t.get("id").asInt()] = t.get("special").asBoolean() ? 3 : 4;
        }
        JsonNode m = root.get("model").get("merges");
        String[] merges = new String[m.size()];
        for (int i = 0; i < merges.length; i++) merges[i] = m.get(i).get(0).asText() + " " + m.get(i).get(1).asText();
        qwen2 = GgufBpeLoader.load(new ToyGguf().string("general.name", "qwen2-from-json").string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", "qwen2").strings("tokenizer.ggml.tokens", tokens).ints("tokenizer.ggml.token_type", types)
                .strings("tokenizer.ggml.merges", merges).uint("tokenizer.ggml.eos_token_id", 151645)
                .bool("tokenizer.ggml.add_bos_token", false).build("qwen2.gguf"));
    }

    @Test
    void qwen2PreTokenizerGivesLlamaCppIds() throws IOException {
        assertThat(qwen2.usesHandWrittenScanner()).isTrue();
        List<Qwen3ConformanceTest.Case> cases = Qwen3ConformanceTest.cases();
        for (Qwen3ConformanceTest.Case c : cases) {
            assertThat(qwen2.encodeOrdinary(c.text())).as(c.toString()).containsExactly(c.ids());
            assertThat(qwen2.decode(qwen2.encodeOrdinary(c.text()))).isEqualTo(c.text());
        }
        assertThat(cases).hasSize(46);
    }

    @Test
    void sameIdsAsTheTokenizerJsonOnShakespeareAndNews() throws IOException {
        // NFC text, as the tokenizer.json normalises and GGUF does not
        String text = Files.readString(SharedData.resolve("tinyshakespeare/input.txt")).substring(0, 100_000)
                + Files.readString(SharedData.resolve("ntrex128-mt/newstest2019-ref.deu.txt")).substring(0, 50_000);
        assertThat(qwen2.encode(text)).containsExactly(Qwen3Tokenizer.get().encode(text));
        assertThat(qwen2.encode("<|im_start|>user")[0]).isEqualTo(151644);
        assertThat(qwen2.encode("hi", true)).containsExactly(qwen2.encode("hi")); // no BOS for Qwen
    }

    @Test
    void llamaBpeIsTheCl100kPatternOnTheFastScanner() {
        String[] tokens = new String[257];
        int[] types = new int[257];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ai.tarka.tokenizers.bpe.ByteUnicodeTable.encode(new byte[] {(byte) b});
            types[b] = 1;
        }
        tokens[256] = "<|begin_of_text|>";
        types[256] = 3;
        ByteLevelBpe llama3 = GgufBpeLoader.load(new ToyGguf().string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "llama-bpe")
                .strings("tokenizer.ggml.tokens", tokens).ints("tokenizer.ggml.token_type", types).strings("tokenizer.ggml.merges", new String[0])
                .uint("tokenizer.ggml.bos_token_id", 256).bool("tokenizer.ggml.add_bos_token", true).build("llama3.gguf"));
        assertThat(llama3.preTokenizerPattern()).isEqualTo(PreTokenizerPatterns.CL100K);
        assertThat(llama3.usesHandWrittenScanner()).isTrue();
        assertThat(llama3.encode("ab", true)).containsExactly(256, 'a', 'b');
        // text that already starts with BOS gets no second one
        assertThat(llama3.encode("<|begin_of_text|>ab", true)).containsExactly(256, 'a', 'b');
    }
}
