package ai.tarka.cli.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgmlType;
import ai.tarka.formats.gguf.GgufTensors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka quantize} and {@code tarka convert} through the CLI, then {@code tarka generate} on their output. */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void quantizeTheBinToQ4_0GgufAndGenerateFromIt() {
        Path out = dir.resolve("s-q4.gguf");
        GenerateCommandTest.Run q = GenerateCommandTest.run("quantize", "--type", "q4_0", GenerateCommandTest.model("stories260K.bin"), out.toString());
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.out()).contains("Q4_0").contains("vocabulary from");
        try (GgufTensors t = GgufTensors.open(out)) {
            assertThat(t.ggmlType("blk.0.attn_q.weight")).isEqualTo(GgmlType.Q4_0);
            assertThat(t.header().getString("tokenizer.ggml.model")).isEqualTo("llama");
        }
        // the GGUF carries its own vocabulary: no --tokenizer needed
        GenerateCommandTest.Run g = GenerateCommandTest.run("generate", "--model", out.toString(), "-n", "20", "-t", "0", "--prompt", "Lily");
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).startsWith("Lily").hasSizeGreaterThan(30);
    }

    @Test
    void convertToSafetensorsAndBackGivesTheSameGreedyText() {
        Path st = dir.resolve("hf");
        assertThat(GenerateCommandTest.run("convert", GenerateCommandTest.model("stories260K.gguf"), st.toString()).code()).isZero();
        GenerateCommandTest.Run a = GenerateCommandTest.run("generate", "--model", st.toString(), "--tokenizer",
                GenerateCommandTest.model("tok512.bin"), "--context", "128", "-n", "60", "-t", "0");
        GenerateCommandTest.Run b = GenerateCommandTest.run("generate", "--model", GenerateCommandTest.model("stories260K.bin"), "-n", "60", "-t", "0");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void nf4AndUnknownTypesAreRefusedByName() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("quantize", "--type", "nf4", GenerateCommandTest.model("stories260K.bin"), dir.resolve("x.gguf").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("NF4 has no ggml type");
        GenerateCommandTest.Run u = GenerateCommandTest.run("quantize", "--type", "q5_k", GenerateCommandTest.model("stories260K.bin"), dir.resolve("x.gguf").toString());
        assertThat(u.err()).contains("unsupported quantisation type 'q5_k'");
        assertThat(dir.resolve("x.gguf")).doesNotExist();
    }
}
