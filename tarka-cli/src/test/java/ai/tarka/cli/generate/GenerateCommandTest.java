package ai.tarka.cli.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.common.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka generate} through {@link TarkaMain#run}, on stories260K. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = TarkaMain.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A GPT-2 checkpoint folder (config.json, model.safetensors, char tokenizer.json) generates through the model's own KV cache. */
    @Test
    void gpt2CheckpointGeneratesThroughTheModelsKvCache() throws Exception {
        String corpus = "to be or not to be, that is the question";
        ai.tarka.tokenizers.chars.CharTokenizer tok = ai.tarka.tokenizers.chars.CharTokenizer.fromText(corpus);
        ai.tarka.models.ModelConfig cfg = ai.tarka.models.ModelConfig.gpt2(tok.vocabSize(), 32, 2, 2, 16);
        ai.tarka.models.CausalLm lm = ai.tarka.models.Models.create(cfg, 7);
        ai.tarka.models.HfModelConfig.write(cfg, dir.resolve("config.json"));
        ai.tarka.models.ModelWeights.save(lm, dir.resolve("model.safetensors"));
        tok.write(dir.resolve("tokenizer.json"));

        String[] args = {"generate", "--model", dir.toString(), "--prompt", "to be", "-n", "12", "-t", "0"};
        Run r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        int[] prompt = tok.encode("to be");
        int[] expected = ai.tarka.models.Generator.generate(lm, prompt, 12, ai.tarka.models.SamplingParams.greedy());
        assertThat(r.out()).isEqualTo("to be" + tok.decode(expected) + System.lineSeparator());
        assertThat(r.err()).contains("GPT2").contains("new tokens/s");

        Run tooLong = run("generate", "--model", dir.toString(), "--prompt", "to be or not to be, that is the question", "-n", "4");
        assertThat(tooLong.code()).isEqualTo(1);
        assertThat(tooLong.err()).contains("the prompt is 40 tokens but the model has 32 positions");
    }

    static String model(String name) {
        return SharedData.resolve("stories260K/" + name).toString();
    }

    @Test
    void greedyFromTheBinFindsTok512BesideItAndPrintsSpeeds() throws Exception {
        Run r = run("generate", "--model", model("stories260K.bin"), "-n", "200", "-t", "0");
        assertThat(r.code()).as(r.err()).isZero();
        String want = Files.readString(SharedData.resolve("stories260K/expected-greedy-200.txt"), StandardCharsets.UTF_8);
        assertThat(r.out()).isEqualTo(want);
        assertThat(r.err()).containsPattern("prompt: 1 tokens in [0-9.]+ s, [0-9.]+ tokens/s")
                .containsPattern("generation: 200 tokens in [0-9.]+ s, [0-9.]+ tokens/s");
    }

    @Test
    void promptAndSeedFromTheGgufWithItsOwnVocabulary() throws Exception {
        Path prompt = Files.writeString(dir.resolve("p.txt"), "Lily saw a");
        String[] args = {"generate", "--model", model("stories260K.gguf"), "--context", "512", "--prompt-file", prompt.toString(),
                "-n", "40", "--temperature", "0.9", "--top-k", "40", "--top-p", "0.95", "--min-p", "0.05", "--seed", "7"};
        Run a = run(args), b = run(args);
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).startsWith("Lily saw a").isEqualTo(b.out());
        assertThat(a.out().length()).isGreaterThan("Lily saw a".length() + 20);
    }

    @Test
    void clearErrors() throws Exception {
        Run tooLong = run("generate", "--model", model("stories260K.bin"), "--context", "16", "--prompt", "Once upon a time there was a little girl named Lily who loved to play");
        assertThat(tooLong.code()).isNotZero();
        assertThat(tooLong.err()).contains("prompt is").contains("context is 16 tokens");

        Run badType = run("generate", "--model", model("stories260K.bin"), "--quantize", "q3_k");
        assertThat(badType.code()).isNotZero();
        assertThat(badType.err()).contains("unsupported quantisation type 'q3_k'");

        Path bad = Files.write(dir.resolve("broken.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        Run badFile = run("generate", "--model", bad.toString(), "--tokenizer", model("tok512.bin"));
        assertThat(badFile.code()).isNotZero();
        assertThat(badFile.err()).contains("broken.gguf");
    }
}
