package ai.tarka.cli.tokenizer;

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

class TokenizerInfoAndJsonTest {

    /** Runs the CLI and returns its standard output. */
    private static String stdout(int[] code, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code[0] = TarkaMain.run(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoDescribesQwen3TokenizerJson() {
        int[] rc = new int[1];
        String out = stdout(rc, "tokenizer", "info", "--tokenizer", SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz").toString());
        assertThat(rc[0]).isZero();
        assertThat(out).contains("format:          Hugging Face tokenizer.json")
                .contains("normalizer:      NFC")
                .containsPattern("vocabulary size: 1516\\d\\d")
                .containsPattern("151643  <\\|endoftext\\|>  \\(special\\)")
                .containsPattern("151644  <\\|im_start\\|>  \\(special\\)")
                .contains("pre-tokenizer:   Qwen2 regex").contains("--add-special:   adds nothing")
                .contains("eos:             <|im_end|> (id 151645)")
                .contains("add_bos_token:   false");
    }

    @Test
    void infoDescribesTiktokenAndGgufTokenizers() {
        int[] rc = new int[1];
        String r50k = stdout(rc, "tokenizer", "info", "--tokenizer", SharedData.resolve("tiktoken/r50k_base.tiktoken").toString());
        assertThat(rc[0]).isZero();
        assertThat(r50k).contains("vocabulary size: 50257").contains("pre-tokenizer:   GPT-2 regex")
                .contains("special tokens:  1").containsPattern("50256  <\\|endoftext\\|>");
        String cl100k = stdout(rc, "tokenizer", "info", "--tokenizer", SharedData.resolve("tiktoken/cl100k_base.tiktoken").toString());
        assertThat(cl100k).contains("pre-tokenizer:   cl100k / Llama 3 regex");
        String phi3 = stdout(rc, "tokenizer", "info", "--tokenizer", SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf").toString());
        assertThat(rc[0]).isZero();
        assertThat(phi3).contains("format:          GGUF SentencePiece BPE").contains("vocabulary size: 32").contains("--add-special:   adds [1] in front");
    }

    @Test
    void trainWritesTokenizerJsonThatEncodesLikeTheGpt2Files(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String corpus = SharedData.resolve("cs336-bpe-fixtures/corpus.en").toString();
        Path json = dir.resolve("json"), gpt2 = dir.resolve("gpt2");
        String out = stdout(rc, "tokenizer", "train", corpus, "--vocab-size", "500", "--special", "<|endoftext|>",
                "--format", "json", "--out", json.toString());
        assertThat(rc[0]).isZero();
        assertThat(out).contains("trained 500 tokens (243 merges)").contains("tokenizer.json");
        assertThat(json.resolve("tokenizer.json")).exists();
        assertThat(json.resolve("vocab.json")).doesNotExist();
        stdout(rc, "tokenizer", "train", corpus, "--vocab-size", "500", "--special", "<|endoftext|>", "--out", gpt2.toString());
        assertThat(rc[0]).isZero();
        String text = "Once upon a time, there was a little girl named Lily.<|endoftext|>She liked to play outside.";
        String viaJson = stdout(rc, "tokenizer", "encode", "--tokenizer", json.toString(), text);
        String viaGpt2 = stdout(rc, "tokenizer", "encode", "--tokenizer", gpt2.toString(), text);
        assertThat(viaJson.strip()).isEqualTo(viaGpt2.strip()).contains(" 0 ");
        String info = stdout(rc, "tokenizer", "info", "--tokenizer", json.toString());
        assertThat(info).contains("vocabulary size: 500").containsPattern("\\s0  <\\|endoftext\\|>  \\(special\\)");
        assertThat(TarkaMain.run("tokenizer", "train", corpus, "--vocab-size", "300", "--format", "xml", "--out", dir.toString())).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("tokenizer.json"))).isFalse();
    }

    @Test
    void trainOnTinyShakespeareSavesATokenizerJsonThatRoundTrips(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path shakespeare = SharedData.resolve("tinyshakespeare/input.txt");
        String out = stdout(rc, "tokenizer", "train", shakespeare.toString(), "--vocab-size", "400", "--special", "<|endoftext|>",
                "--format", "json", "--out", dir.toString());
        assertThat(rc[0]).isZero();
        assertThat(out).contains("trained 400 tokens (143 merges)");
        var tokenizer = ai.tarka.tokenizers.hf.HfTokenizerJson.loadAny(dir.resolve("tokenizer.json"));
        String text = Files.readString(shakespeare);
        int[] ids = tokenizer.encode(text);
        assertThat(ids.length).isLessThan(text.length() * 7 / 10); // 143 merges already save over 40% of the bytes
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void addSpecialPutsTheConfiguredBosInFrontOnce() {
        int[] rc = new int[1];
        String phi3 = SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf").toString();
        String plain = stdout(rc, "tokenizer", "encode", "--tokenizer", phi3, "Hello").strip();
        assertThat(stdout(rc, "tokenizer", "encode", "--add-special", "--tokenizer", phi3, "Hello").strip()).isEqualTo("1 " + plain);
        assertThat(stdout(rc, "tokenizer", "encode", "--add-special", "--tokenizer", phi3, "<s>Hello").strip()).isEqualTo("1 " + plain);
    }

    @Test
    void convertWritesTiktokenAsTokenizerJsonWithTheSameIds(@TempDir Path dir) {
        int[] rc = new int[1];
        String r50k = SharedData.resolve("tiktoken/r50k_base.tiktoken").toString();
        String out = stdout(rc, "tokenizer", "convert", "--tokenizer", r50k, "--out", dir.toString());
        assertThat(rc[0]).isZero();
        assertThat(out).contains("tokenizer.json").contains("50257 tokens");
        String text = "Hello world, it's 2026!<|endoftext|>  indented\n";
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", dir.toString(), text))
                .isEqualTo(stdout(rc, "tokenizer", "encode", "--tokenizer", r50k, text));
        assertThat(stdout(rc, "tokenizer", "info", "--tokenizer", dir.toString())).contains("Hugging Face tokenizer.json");
        assertThat(TarkaMain.run("tokenizer", "convert", "--tokenizer",
                SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz").toString(), "--out", dir.resolve("q").toString())).isEqualTo(1);
    }
}
