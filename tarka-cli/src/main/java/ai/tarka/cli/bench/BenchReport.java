package ai.tarka.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every {@code tarka bench ...} command produces: a readable table on the terminal and, with
 * {@code --json FILE}, the same figures as JSON records, written to a temporary name and renamed.
 */
public final class BenchReport {
    private final String title;
    private final List<String> header = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<BenchRecord> records = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();

    public BenchReport(String title, String... columns) {
        this.title = title;
        header.addAll(List.of(columns));
    }

    /** Facts about the run (machine, threads, backends) printed above the table and stored in JSON. */
    public BenchReport context(String key, Object value) {
        context.put(key, value);
        return this;
    }

    public void row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size() + " columns");
        }
        rows.add(cells);
    }

    public void record(BenchRecord r) {
        records.add(r);
    }

    public List<BenchRecord> records() {
        return List.copyOf(records);
    }

    public void print(PrintStream out) {
        out.println(title);
        for (var e : context.entrySet()) out.println("  " + e.getKey() + ": " + e.getValue());
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : "  ").append(pad(header.get(i), w[i], i == 0));
        out.println(line);
        line.setLength(0);
        for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        out.println(line);
        for (String[] r : rows) {
            line.setLength(0);
            for (int i = 0; i < w.length; i++) line.append(i == 0 ? "" : "  ").append(pad(r[i], w[i], i == 0));
            out.println(line);
        }
        out.flush();
    }

    private static String pad(String s, int w, boolean left) {
        String sp = " ".repeat(w - s.length());
        return left ? s + sp : sp + s;
    }

    /** Writes {@code {"title", "time", "context", "records": [...]}} atomically. */
    public void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", title);
        doc.put("time", Instant.now().toString());
        doc.put("context", context);
        List<Map<String, Object>> recs = new ArrayList<>();
        for (BenchRecord r : records) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("value", r.value());
            m.put("unit", r.unit());
            if (r.baselineName() != null) {
                m.put("baseline_name", r.baselineName());
                m.put("baseline_value", r.baselineValue());
                m.put("ratio", r.ratio());
            }
            recs.add(m);
        }
        doc.put("records", recs);
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), doc);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
