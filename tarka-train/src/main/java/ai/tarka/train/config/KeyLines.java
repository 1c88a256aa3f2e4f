package ai.tarka.train.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** The line of every key of a YAML document, by dotted path ({@code model.hidden_size}), for error messages. */
final class KeyLines {
    private final Map<String, Integer> lines = new HashMap<>();

    private KeyLines() {}

    static KeyLines of(String yaml) {
        KeyLines k = new KeyLines();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Boolean> pushed = new ArrayDeque<>();
            String pending = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        String full = path.isEmpty() ? pending : String.join(".", path.reversed()) + "." + pending;
                        k.lines.putIfAbsent(full, p.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT -> {
                        pushed.push(pending != null);
                        if (pending != null) path.push(pending);
                        pending = null;
                    }
                    case END_OBJECT -> {
                        if (!pushed.isEmpty() && pushed.pop()) path.pop();
                    }
                    default -> pending = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the tree parse reports malformed YAML with its own location; lines are only a nicety
        }
        return k;
    }

    /** " (line N)" for a known key, else "". */
    String at(String dottedPath) {
        Integer line = lines.get(dottedPath);
        return line == null ? "" : " (line " + line + ")";
    }
}
