package ai.tarka.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line ({@code "type": "train"} at logging steps, {@code "eval"} at each
 * evaluation), appended and flushed at once so a killed run keeps every line it logged.
 */
public final class MetricsLog implements Closeable {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens the log for appending; lines from a run that went beyond {@code keepUpToStep} are dropped first. */
    public static MetricsLog open(Path outputDir, long keepUpToStep) {
        Path file = outputDir.resolve(FILE);
        try {
            Files.createDirectories(outputDir);
            if (Files.exists(file)) truncateAfter(file, keepUpToStep);
            return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** A resumed run re-logs the steps after its checkpoint, so the killed run's lines for them are removed. */
    private static void truncateAfter(Path file, long step) throws IOException {
        List<String> keep = new ArrayList<>();
        boolean changed = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode n;
            try {
                n = line.isBlank() ? null : JSON.readTree(line);
            } catch (IOException e) {
                n = null; // a line cut short by a kill
            }
            if (n != null && n.path("step").asLong(Long.MAX_VALUE) <= step) keep.add(line);
            else changed = true;
        }
        if (!changed) return;
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.write(tmp, keep, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void train(TrainingListener.StepReport r, double elapsedSeconds) {
        ObjectNode n = JSON.createObjectNode().put("type", "train").put("step", r.step()).put("loss", r.loss())
                .put("lr", r.lr()).put("grad_norm", r.gradNorm()).put("tokens", r.tokens())
                .put("tokens_per_s", r.tokensPerSecond()).put("elapsed_s", elapsedSeconds);
        write(n);
    }

    public void eval(TrainingListener.EvalReport r, double elapsedSeconds) {
        ObjectNode n = JSON.createObjectNode().put("type", "eval").put("step", r.step()).put("val_loss", r.valLoss())
                .put("val_ppl", r.perplexity()).put("elapsed_s", elapsedSeconds);
        if (r.sample() != null) n.put("sample", r.sample());
        write(n);
    }

    /** Scores of the extra evaluation tasks at {@code step}, one object per evaluation. */
    public void tasks(long step, java.util.Map<String, Double> scores, double elapsedSeconds) {
        ObjectNode n = JSON.createObjectNode().put("type", "tasks").put("step", step).put("elapsed_s", elapsedSeconds);
        ObjectNode s = n.putObject("scores");
        scores.forEach(s::put);
        write(n);
    }

    private void write(ObjectNode n) {
        try {
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
