package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Qwen3's tokenizer.json against llama.cpp's expected Qwen2 encodings (no BOS/EOS, special text not parsed). */
class Qwen3ConformanceTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    record Case(int index, String text, int[] ids) {
        @Override
        public String toString() {
            String t = text.length() > 30 ? text.substring(0, 30) + "..." : text;
            return index + ": " + t.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        }
    }

    static List<Case> cases() throws IOException {
        String inp = Files.readString(SharedData.resolve("llama-cpp-vocab/ggml-vocab-qwen2.gguf.inp"), StandardCharsets.UTF_8);
        String out = Files.readString(SharedData.resolve("llama-cpp-vocab/ggml-vocab-qwen2.gguf.out"), StandardCharsets.UTF_8);
        assertThat(inp).endsWith(SEPARATOR);
        String[] texts = inp.substring(0, inp.length() - SEPARATOR.length()).split(SEPARATOR, -1);
        String[] lines = out.split("\n", -1);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            String line = lines[i].strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(i, texts[i], ids));
        }
        return cases;
    }

    static Stream<Case> allCases() throws IOException {
        return cases().stream();
    }

    @Test
    void theFilesHoldFortySixCases() throws IOException {
        assertThat(cases()).hasSize(46);
    }

    @ParameterizedTest
    @MethodSource("allCases")
    void encodesAsLlamaCppAndDecodesBack(Case c) {
        HfTokenizer qwen = Qwen3Tokenizer.get();
        int[] ids = qwen.encodeOrdinary(c.text());
        assertThat(ids).containsExactly(c.ids());
        assertThat(qwen.decode(ids)).isEqualTo(c.text());
    }
}
