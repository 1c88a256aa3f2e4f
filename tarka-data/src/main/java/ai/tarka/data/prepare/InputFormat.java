package ai.tarka.data.prepare;

import java.nio.file.Path;
import java.util.Locale;

/** How an input file is cut into documents. */
public enum InputFormat {
    /** Chosen per file: {@code .jsonl}/{@code .json} files are JSONL, everything else text. */
    AUTO,
    /** Plain UTF-8 text. */
    TEXT,
    /** One JSON object per line; the document is one string field. */
    JSONL;

    InputFormat resolve(Path file) {
        if (this != AUTO) return this;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson") ? JSONL : TEXT;
    }
}
