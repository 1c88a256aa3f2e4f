package ai.tarka.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import ai.tarka.common.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarka chat} end to end: a dumb terminal over piped stdin and stdout, stories260K, plain continuation. */
class ChatCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = TarkaMain.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String data(String name) {
        return SharedData.resolve("stories260K/" + name).toString();
    }

    @Test
    void streamsTheSameGreedyTextAsGenerateAndRunsCommands() throws Exception {
        Run gen = run("", "generate", "--model", data("stories260K.gguf"), "--tokenizer", data("tok512.bin"),
                "--prompt", "Once upon a time", "-n", "20", "-t", "0");
        assertThat(gen.code()).as(gen.err()).isZero();
        String continuation = gen.out().substring("Once upon a time".length()).stripTrailing();
        assertThat(continuation.length()).isGreaterThan(20);

        Path history = dir.resolve("sub/chat_history");
        String input = "Once upon a time\n/params top_p=5\n/params max_tokens=5\n/params\n/system\n/exit\nnever read\n";
        Run chat = run(input, "chat", "--model", data("stories260K.gguf"), "--tokenizer", data("tok512.bin"), "--template", "none",
                "--plain", "-n", "20", "-t", "0", "--history", history.toString());
        assertThat(chat.code()).as(chat.err()).isZero();
        assertThat(chat.out()).contains("template none")
                .contains(continuation)
                .contains("error: /params top_p=5: sampling: top_p must be in (0, 1], got 5.0")
                .contains("max_tokens=5 seed=random")
                .contains("(no system prompt)");
        assertThat(Files.readString(history)).contains("Once upon a time").contains("/params max_tokens=5").doesNotContain("never read");
    }

    @Test
    void badTemplateNameIsAClearError() {
        Run r = run("", "chat", "--model", data("stories260K.gguf"), "--tokenizer", data("tok512.bin"), "--template", "vicuna",
                "--plain", "--history", dir.resolve("h").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--template must be auto, chatml, llama3, alpaca or none, got 'vicuna'");
    }
}
