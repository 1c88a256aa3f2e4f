package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.serve.TarkaServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real JavaScript clients against {@code tarka serve}: the official {@code openai} npm package streams a chat, and
 * playwright-core drives the web chat page at {@code /} in Debian's headless Chromium (type, watch the answer stream
 * in, screenshot). The scripts and the pinned package-lock live in {@code src/test/npm}; they are copied into
 * {@code target/npm-e2e} and installed there with {@code npm ci}, so this test needs node, npm and the npm registry.
 * Tagged {@code browser}: the Maven profile of that name runs it wherever {@code /usr/bin/chromium} exists (CI).
 */
@Tag("browser")
class NpmClientsTest {
    private static final Path SOURCES = Path.of("src/test/npm");
    private static final Path WORK = Path.of("target/npm-e2e");
    private static TarkaServer server;

    @BeforeAll
    static void installAndStart() throws Exception {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/openai")) || !Files.isDirectory(WORK.resolve("node_modules/playwright-core"))) {
            Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            assertThat(npm.exit).as("npm ci in %s failed:\n%s", WORK, npm.output).isZero();
        }
        server = Stories260K.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void openaiNpmPackageStreamsAChat() throws Exception {
        Result r = run(List.of("node", "stream-chat.mjs"), Map.of("TARKA_URL", "http://127.0.0.1:" + server.port() + "/v1"), 120);
        assertThat(r.exit).as("stream-chat.mjs:\n%s", r.output).isZero();
        JsonNode first = lastJsonLineWith(r.output, "chunks");
        // 24 content chunks plus the role chunk and the usage chunk at least: the answer really came in pieces
        assertThat(first.get("chunks").asInt()).isGreaterThanOrEqualTo(24);
        assertThat(first.get("finish").asText()).isEqualTo("length");
        assertThat(first.get("usage").get("completion_tokens").asInt()).isEqualTo(24);
        assertThat(first.get("text").asText()).isNotBlank();
        assertThat(lastJsonLineWith(r.output, "unknownModelIs404").get("unknownModelIs404").asBoolean()).isTrue();
    }

    @Test
    void webChatPageStreamsAnAnswerInHeadlessChromium() throws Exception {
        Path shot = WORK.resolve("web-chat.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        Result r = run(List.of("node", "web-chat.mjs", shot.toString()),
                Map.of("TARKA_ROOT", "http://127.0.0.1:" + server.port(), "CHROMIUM", "/usr/bin/chromium"), 180);
        assertThat(r.exit).as("web-chat.mjs:\n%s", r.output).isZero();
        JsonNode result = lastJsonLineWith(r.output, "final");
        assertThat(result.get("final").asText()).isNotBlank();
        // the page showed the answer growing, not just its end: a partial text was on screen before the final one
        // (not more: stories260K answers so fast that the browser may receive the stream in as few as two reads)
        assertThat(result.get("partialUpdates").asInt()).as("partial updates seen").isGreaterThanOrEqualTo(2);
        assertThat(Files.size(shot)).as("screenshot %s", shot).isGreaterThan(1000);
        byte[] png = Files.readAllBytes(shot);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    private static JsonNode lastJsonLineWith(String output, String field) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode found = null;
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) continue;
            JsonNode n = json.readTree(line);
            if (n.has(field)) found = n;
        }
        assertThat(found).as("a JSON line with \"%s\" in:\n%s", field, output).isNotNull();
        return found;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(WORK.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "run-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        // the output goes to a file, so a script that hangs cannot block the reader: the timeout really applies
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
