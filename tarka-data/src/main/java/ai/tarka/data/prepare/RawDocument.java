package ai.tarka.data.prepare;

import java.nio.file.Path;

/**
 * A document as read, before JSON parsing (done on the tokenizer threads).
 *
 * @param content the text, or the JSONL line when {@code json}
 * @param line    1-based line of a JSONL record or of a split line; 0 for a whole file
 */
record RawDocument(String content, boolean json, Path file, long line) {
    String origin() {
        return line > 0 ? file + ":" + line : file.toString();
    }
}
