package ai.tarka.finetune.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a dataset file into records (column name → JSON value): a JSON array of objects, JSON Lines, CSV with a
 * header row (RFC 4180 quoting), or plain text (one {@code text} record per blank-line-separated paragraph). The
 * format follows the file extension; {@code .parquet} files are read by {@link ParquetRecords} into the same records.
 */
public final class RawRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawRecords() {}

    public static List<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) throw new DatasetException("dataset " + file + " does not exist or is not a file");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".parquet")) return ParquetRecords.read(file);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return jsonLines(file, text);
            if (name.endsWith(".json")) return jsonArray(file, text);
            if (name.endsWith(".csv")) return csv(file, text);
            if (name.endsWith(".txt") || name.endsWith(".text") || name.endsWith(".md")) return paragraphs(text);
            throw new DatasetException("dataset " + file + ": unknown file type (expected .json, .jsonl, .csv, .txt or .parquet)");
        } catch (IOException e) {
            throw new DatasetException("dataset " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> jsonArray(Path file, String text) throws JsonProcessingException {
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            // a .json file holding JSON Lines is common (Hugging Face exports), accept it
            return jsonLines(file, text);
        }
        JsonNode root = JSON.readTree(text);
        if (root == null || !root.isArray()) throw new DatasetException("dataset " + file + ": expected a JSON array of records");
        List<JsonNode> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            if (!root.get(i).isObject()) throw new DatasetException("dataset " + file + ": record " + i + " is not a JSON object");
            out.add(root.get(i));
        }
        return out;
    }

    private static List<JsonNode> jsonLines(Path file, String text) {
        List<JsonNode> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            try {
                JsonNode n = JSON.readTree(line);
                if (!n.isObject()) throw new DatasetException("dataset " + file + ": line " + (i + 1) + " is not a JSON object");
                out.add(n);
            } catch (JsonProcessingException e) {
                throw new DatasetException("dataset " + file + ": line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        return out;
    }

    private static List<JsonNode> paragraphs(String text) {
        List<JsonNode> out = new ArrayList<>();
        for (String p : text.split("\\n\\s*\\n")) {
            if (!p.isBlank()) out.add(JSON.createObjectNode().put("text", p.strip()));
        }
        return out;
    }

    /** CSV with a header row; fields may be quoted with {@code "} (doubled inside) and span lines. */
    static List<JsonNode> csv(Path file, String text) {
        List<List<String>> rows = CsvParser.parse(text);
        if (rows.isEmpty()) return List.of();
        List<String> header = rows.get(0);
        List<JsonNode> out = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isEmpty()) continue;
            if (row.size() != header.size()) {
                throw new DatasetException("dataset " + file + ": CSV row " + r + " has " + row.size() + " fields, the header has " + header.size());
            }
            Map<String, String> rec = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) rec.put(header.get(c), row.get(c));
            out.add(JSON.valueToTree(rec));
        }
        return out;
    }
}
