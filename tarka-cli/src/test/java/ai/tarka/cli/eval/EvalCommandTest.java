package ai.tarka.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.cli.TarkaMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    /** Runs the CLI; returns stdout + stderr. */
    static String run(int[] rc, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(p);
        System.setErr(p);
        try {
            rc[0] = TarkaMain.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void evalPrintsATableAndWritesJsonWithSignaturesAndSamples() throws Exception {
        int[] rc = new int[1];
        Path out = dir.resolve("results.json");
        String text = run(rc, "eval", "--model", "stories260K", "--tasks", "sentiment,tinystories_ppl", "--limit", "4",
                "--bootstrap", "50", "--log-samples", "--output", out.toString(), "--tracking-dir", dir.resolve("runs").toString());
        assertThat(rc[0]).as(text).isZero();
        try (ai.tarka.tracking.store.TrackingStore store = ai.tarka.tracking.store.TrackingStore.open(dir.resolve("runs"))) {
            var runs = store.runsOf(java.util.List.of(store.experimentId("eval")), ai.tarka.tracking.store.ViewType.ACTIVE_ONLY);
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).latestMetrics()).containsKeys("sentiment/acc", "tinystories_ppl/bits_per_byte");
            assertThat(runs.get(0).tags().get("signature.sentiment/acc")).contains("output:multiple_choice");
            assertThat(runs.get(0).params()).containsEntry("tasks", "sentiment,tinystories_ppl");
        }
        assertThat(text).contains("| stories260K | sentiment | acc |").contains("bits_per_byte");
        JsonNode r = new ObjectMapper().readTree(out.toFile());
        JsonNode acc = r.get("models").get(0).get("results").get("sentiment").get("acc");
        assertThat(acc.get("signature").asText()).contains("output:multiple_choice");
        assertThat(acc.get("ci95")).hasSize(2);
        assertThat(r.get("models").get(0).get("results").get("tinystories_ppl").get("perplexity").get("value").asDouble()).isBetween(1.0, 100.0);
        assertThat(r.get("config").get("limit").asInt()).isEqualTo(4);
        assertThat(Files.readAllLines(dir.resolve("results.samples.jsonl"))).hasSize(5);   // 4 documents + 1 perplexity line
    }

    @Test
    void aTaskFileWithAMissingFieldIsRejectedNamingIt() throws Exception {
        Path task = dir.resolve("bad.yaml");
        Files.writeString(task, "task: bad\ndataset_path: x.jsonl\noutput_type: generate_until\ndoc_to_text: q\nmetric_list: [bleu]\n");
        int[] rc = new int[1];
        String text = run(rc, "eval", "--model", "stories260K", "--tasks", task.toString());
        assertThat(rc[0]).isNotZero();
        assertThat(text).contains("missing required field 'doc_to_target'").contains("bad.yaml");
    }

    @Test
    void benchModelsWritesHtmlMarkdownAndJson() throws Exception {
        int[] rc = new int[1];
        Path out = dir.resolve("bench");
        String text = run(rc, "bench", "models", "--models", "stories260K,stories260K", "--tasks", "sentiment,tinystories_ppl",
                "--limit", "3", "--bootstrap", "20", "--out", out.toString());
        assertThat(rc[0]).as(text).isZero();
        assertThat(Files.readString(out.resolve("report.html"))).contains("echarts").contains("tinystories_ppl");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| stories260K |");
        assertThat(new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("models")).hasSize(2);
    }
}
