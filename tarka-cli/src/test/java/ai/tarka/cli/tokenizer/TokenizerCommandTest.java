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

class TokenizerCommandTest {

    /** Runs the CLI and returns its standard output (commands print results there). */
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
    void encodesWithTiktokenAndGpt2FilesAndDecodesBack() {
        int[] rc = new int[1];
        String r50k = SharedData.resolve("tiktoken/r50k_base.tiktoken").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", r50k, "Hello world<|endoftext|>").strip())
                .isEqualTo("15496 995 50256");
        assertThat(rc[0]).isZero();
        assertThat(stdout(rc, "tokenizer", "encode", "--json", "--tokenizer", SharedData.resolve("gpt2-bpe").toString(), "Hello world").strip())
                .isEqualTo("[15496,995]");
        assertThat(stdout(rc, "tokenizer", "decode", "--tokenizer", r50k, "15496", "995").strip()).isEqualTo("Hello world");
        String qwen = SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", qwen, "<|im_start|>Hello world").strip()).isEqualTo("151644 9707 1879");
        assertThat(stdout(rc, "tokenizer", "decode", "--tokenizer", qwen, "9707", "1879").strip()).isEqualTo("Hello world");
        // GGUF tokenizers: the llama.cpp conformance vocabularies (expected ids from their .out files)
        String phi3 = SharedData.resolve("llama-cpp-vocab/ggml-vocab-phi-3.gguf").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", phi3, "Hello world").strip()).isEqualTo("15043 3186");
        String bert = SharedData.resolve("llama-cpp-vocab/ggml-vocab-bert-bge.gguf").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", bert, "Hello world").strip()).isEqualTo("7592 2088");
        String gpt2 = SharedData.resolve("llama-cpp-vocab/ggml-vocab-gpt-2.gguf").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", gpt2, "Hello world").strip()).isEqualTo("15496 995");
        String tok512 = SharedData.resolve("stories260K/tok512.bin").toString();
        assertThat(stdout(rc, "tokenizer", "encode", "--tokenizer", tok512, "Once upon a time").strip()).isEqualTo("403 407 261 378");
    }

    @Test
    void trainReproducesTheReferenceMergesFromTheCommandLine(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String out = stdout(rc, "tokenizer", "train", SharedData.resolve("cs336-bpe-fixtures/corpus.en").toString(),
                "--vocab-size", "500", "--special", "<|endoftext|>", "--out", dir.toString());
        assertThat(rc[0]).isZero();
        assertThat(out).contains("trained 500 tokens (243 merges)");
        assertThat(Files.readAllBytes(dir.resolve("merges.txt")))
                .isEqualTo(Files.readAllBytes(SharedData.resolve("cs336-bpe-fixtures/train-bpe-reference-merges.txt")));
        // the trained folder is itself a tokenizer
        assertThat(stdout(rc, "tokenizer", "decode", "--tokenizer", dir.toString(), "0").strip()).isEqualTo("<|endoftext|>");
    }

    @Test
    void unknownTokenizerFormatIsAOneLineError(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("vocab.txt"), "x");
        assertThat(TarkaMain.run("tokenizer", "encode", "--tokenizer", bogus.toString(), "hi")).isEqualTo(1);
    }

    @Test
    void chatTemplateRendersQwen3AndReportsSpans(@TempDir Path dir) throws Exception {
        Path msgs = Files.writeString(dir.resolve("m.json"), "[{\"role\":\"user\",\"content\":\"Hi\"}]");
        int[] rc = new int[1];
        String text = stdout(rc, "tokenizer", "chat-template", "--config",
                SharedData.resolve("qwen3-tokenizer/tokenizer_config.json").toString(), "--add-generation-prompt", msgs.toString());
        assertThat(rc[0]).isZero();
        assertThat(text).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        String json = stdout(rc, "tokenizer", "chat-template", "--builtin", "chatml", "--spans", msgs.toString());
        assertThat(json).contains("\"start\" : 17").contains("\"end\" : 19");
        assertThat(TarkaMain.run("tokenizer", "chat-template", msgs.toString())).isEqualTo(1); // neither --config nor --builtin
    }
}
