package ai.tarka.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.common.SharedData;
import ai.tarka.data.PreparedData;
import ai.tarka.data.sample.RandomWindowSampler;
import ai.tarka.data.sample.TokenBatch;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPrepareCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
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

    @Test
    void preparesTextWithTheCharTokenizer() throws Exception {
        String text = "ROMEO:\nBut soft, what light through yonder window breaks?\n".repeat(20);
        Path in = Files.writeString(dir.resolve("play.txt"), text);
        Path out = dir.resolve("out");
        Run r = run("data", "prepare", in.toString(), "--tokenizer", "char", "-o", out.toString(), "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("documents   1").contains("tokens      " + String.format("%,d", text.length()))
                .contains("vocab " + text.chars().distinct().count() + ",").contains("1.0000 tokens per byte").contains("train.bin val.bin");
        assertThat(r.err()).contains("tokenize:").contains("done");
        try (PreparedData data = PreparedData.open(out)) {
            TextTokenizer tok = TokenizerLoader.load(data.tokenizerPath());
            RandomWindowSampler sampler = new RandomWindowSampler(data.train(), 3, 16, 1);
            TokenBatch b = sampler.next();
            assertThat(text).contains(tok.decode(java.util.Arrays.copyOf(b.inputs(), 16)));
            assertThat(data.meta().path("created_by").asText()).startsWith("tarka ");
        }
        Run inspect = run("data", "inspect", out.toString(), "--show", "12");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("train.bin: " + String.format("%,d", (int) (text.length() * 0.9)) + " tokens")
                .contains("all ids < " + text.chars().distinct().count()).contains("first 12 train tokens:\nROMEO:\nBut s\n");
    }

    @Test
    void preparesJsonlWithGpt2AndReportsBadLines() throws Exception {
        Path in = Files.writeString(dir.resolve("d.jsonl"), "{\"content\": \"Hello world\"}\n{\"content\": \"Second one\"}\n");
        Path out = dir.resolve("out");
        Run r = run("data", "prepare", in.toString(), "--field", "content", "--val-fraction", "0.5",
                "--tokenizer", SharedData.resolve("gpt2-bpe").toString(), "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("documents   2 (train 1, val 1; split by documents)").contains("EOS 50256 after each document")
                .contains("tokens      6 (train 3, val 3)");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n[1, 2]\n");
        Run e = run("data", "prepare", bad.toString(), "--tokenizer", "char", "-o", dir.resolve("o2").toString());
        assertThat(e.code()).isNotZero();
        assertThat(e.err()).contains(bad + ":2: expected a JSON object");
        Run missing = run("data", "prepare", dir.resolve("absent.txt").toString(), "--tokenizer", "char", "-o", dir.resolve("o3").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("absent.txt does not exist");
    }
}
