package ai.tarka.eval.harness;

import ai.tarka.common.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a task's documents: JSON (an array of objects), JSONL, CSV (RFC 4180 quoting), TSV (tab-separated, no
 * quoting), or line-aligned text files (one file per column). Every document is a map of column → value; JSON values
 * stay lists and maps so templates can index into them.
 */
public final class DataFiles {
    private DataFiles() {}

    /** The documents and the columns every document has. */
    public record Docs(List<Map<String, Object>> rows, Set<String> columns, String source) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static String formatOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".jsonl")) return "jsonl";
        if (p.endsWith(".json")) return "json";
        if (p.endsWith(".csv")) return "csv";
        if (p.endsWith(".tsv") || p.endsWith(".txt")) return "tsv";
        throw new TaskFileException("data file " + path + ": cannot tell its format from the name; set data_format (json, jsonl, csv, tsv)");
    }

    /** A task path: {@code shared:REL} resolves under shared data. */
    public static Path path(String p) {
        return p.startsWith("shared:") ? SharedData.resolve(p.substring("shared:".length())) : Path.of(p);
    }

    public static Docs load(TaskSpec task) {
        if ("lines".equals(task.dataFormat())) return lines(task.lineFiles(), task.sourceFile());
        Path file = path(task.dataPath());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TaskFileException("data file " + file + " (task " + task.name() + "): cannot read: " + e.getMessage(), e);
        }
        return switch (task.dataFormat()) {
            case "json" -> json(file, text);
            case "jsonl" -> jsonl(file, text);
            case "csv" -> table(file, Csv.parse(file, text, ','), task.columns());
            case "tsv" -> table(file, tsvRows(text), task.columns());
            default -> throw new TaskFileException("task file " + task.sourceFile() + ": field 'data_format' is '"
                    + task.dataFormat() + "' (json, jsonl, csv, tsv, lines)");
        };
    }

    private static Docs json(Path file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new TaskFileException("data file " + file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isArray()) throw new TaskFileException("data file " + file + ": expected a JSON array of objects");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) rows.add(object(file, root.get(i), "element " + i));
        return withColumns(file, rows);
    }

    private static Docs jsonl(Path file, String text) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            try {
                rows.add(object(file, JSON.readTree(lines[i]), "line " + (i + 1)));
            } catch (IOException e) {
                throw new TaskFileException("data file " + file + ": line " + (i + 1) + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        return withColumns(file, rows);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, JsonNode n, String where) {
        if (!n.isObject()) throw new TaskFileException("data file " + file + ": " + where + " is not a JSON object");
        return JSON.convertValue(n, LinkedHashMap.class);
    }

    private static Docs withColumns(Path file, List<Map<String, Object>> rows) {
        Set<String> cols = rows.isEmpty() ? Set.of() : new LinkedHashSet<>(rows.getFirst().keySet());
        for (Map<String, Object> r : rows) cols.retainAll(r.keySet());
        return new Docs(rows, cols, file.toString());
    }

    private static List<List<String>> tsvRows(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) continue;
            rows.add(List.of(line.split("\t", -1)));
        }
        return rows;
    }

    private static Docs table(Path file, List<List<String>> rows, List<String> columns) {
        int first = 0;
        if (columns == null) {
            if (rows.isEmpty()) throw new TaskFileException("data file " + file + ": empty, no header row");
            columns = rows.getFirst();
            first = 1;
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = first; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() != columns.size())
                throw new TaskFileException("data file " + file + ": row " + (i + 1) + " has " + r.size() + " fields but the "
                        + "columns are " + columns);
            Map<String, Object> doc = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) doc.put(columns.get(c), r.get(c));
            docs.add(doc);
        }
        return new Docs(docs, new LinkedHashSet<>(columns), file.toString());
    }

    private static Docs lines(Map<String, String> files, String source) {
        Map<String, List<String>> cols = new LinkedHashMap<>();
        int n = -1;
        String firstFile = null;
        for (var e : files.entrySet()) {
            Path f = path(e.getValue());
            List<String> lines;
            try {
                lines = new ArrayList<>(List.of(Files.readString(f, StandardCharsets.UTF_8).split("\r?\n", -1)));
            } catch (IOException ex) {
                throw new TaskFileException("data file " + f + " (column '" + e.getKey() + "'): cannot read: " + ex.getMessage(), ex);
            }
            if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
            if (n >= 0 && lines.size() != n)
                throw new TaskFileException("data file " + f + " (column '" + e.getKey() + "') has " + lines.size()
                        + " lines but " + firstFile + " has " + n);
            n = lines.size();
            firstFile = f.toString();
            cols.put(e.getKey(), lines);
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < Math.max(n, 0); i++) {
            Map<String, Object> doc = new LinkedHashMap<>();
            for (var e : cols.entrySet()) doc.put(e.getKey(), e.getValue().get(i));
            docs.add(doc);
        }
        return new Docs(docs, cols.keySet(), source);
    }
}
