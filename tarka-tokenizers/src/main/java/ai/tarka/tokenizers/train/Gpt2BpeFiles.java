package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;

/**
 * Writes a trained BPE in GPT-2's text formats: {@code vocab.json} (token → id, ids in order, 4-space
 * indent, non-ASCII written as is) and {@code merges.txt} (one {@code left right} pair a line). Byte
 * tokens go through {@link ByteUnicode}; special tokens are written as their text. Each file is
 * written beside its target and renamed over it, so a reader never sees half a file.
 */
public final class Gpt2BpeFiles {
    private Gpt2BpeFiles() {}

    public static void writeVocabJson(TrainedBpe bpe, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n");
        var seen = new HashSet<String>();
        for (int id = 0; id < bpe.vocabSize(); id++) {
            String token = bpe.isSpecial(id) ? bpe.specialTokens().get(id) : ByteUnicodeTable.encode(bpe.tokenBytes(id));
            if (!seen.add(token)) {
                throw new IllegalArgumentException("vocab.json " + file + ": token " + token + " (id " + id + ") appears twice");
            }
            sb.append("    ");
            appendJsonString(sb, token);
            sb.append(": ").append(id).append(id + 1 < bpe.vocabSize() ? ",\n" : "\n");
        }
        sb.append('}');
        writeAtomically(file, sb.toString());
    }

    /** Writes the merges; {@code versionHeader} adds GPT-2's {@code #version: 0.2} first line. */
    public static void writeMerges(TrainedBpe bpe, Path file, boolean versionHeader) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (versionHeader) sb.append("#version: 0.2\n");
        for (BpeMerge m : bpe.merges()) sb.append(m).append('\n');
        writeAtomically(file, sb.toString());
    }

    private static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path target = file.toAbsolutePath();
        // not Files.createTempFile: its owner-only permissions would survive the rename
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(content);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
