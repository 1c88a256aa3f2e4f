package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ByteLevel-only pre-tokenizer path with "left right" string merges: a GPT-2 tokenizer.json assembled from GPT-2's
 * own encoder.json and vocab.bpe must reproduce llama.cpp's expected GPT-2 encodings.
 */
class Gpt2TokenizerJsonTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    @TempDir
    Path dir;

    @Test
    void gpt2AssembledAsTokenizerJsonMatchesLlamaCpp() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.set("vocab", json.readTree(SharedData.resolve("gpt2-bpe/encoder.json").toFile()));
        ArrayNode merges = model.putArray("merges");
        List<String> lines = Files.readAllLines(SharedData.resolve("gpt2-bpe/vocab.bpe"), StandardCharsets.UTF_8);
        for (String line : lines) if (!line.isEmpty() && !line.startsWith("#version")) merges.add(line);
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        root.putArray("added_tokens").addObject().put("id", 50256).put("content", "<|endoftext|>").put("special", true);
        Path file = dir.resolve("tokenizer.json");
        json.writeValue(file.toFile(), root);

        HfTokenizer gpt2 = HfTokenizerJson.load(file);
        assertThat(gpt2.bpe().usesHandWrittenScanner()).isTrue();
        assertThat(gpt2.encode("a<|endoftext|>")).containsExactly(64, 50256);

        String inp = Files.readString(SharedData.resolve("llama-cpp-vocab/ggml-vocab-gpt-2.gguf.inp"), StandardCharsets.UTF_8);
        String[] texts = inp.substring(0, inp.length() - SEPARATOR.length()).split(SEPARATOR, -1);
        String[] out = Files.readString(SharedData.resolve("llama-cpp-vocab/ggml-vocab-gpt-2.gguf.out"), StandardCharsets.UTF_8).split("\n", -1);
        assertThat(texts).hasSize(46);
        for (int i = 0; i < texts.length; i++) {
            String line = out[i].strip();
            int[] expected = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            int[] ids = gpt2.encodeOrdinary(texts[i]);
            assertThat(ids).as("case %d", i).containsExactly(expected);
            assertThat(gpt2.decode(ids)).as("case %d", i).isEqualTo(texts[i]);
        }
    }
}
