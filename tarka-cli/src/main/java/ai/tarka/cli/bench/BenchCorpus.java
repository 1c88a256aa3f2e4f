package ai.tarka.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A text to tokenize, cut into documents of about {@value #DOCUMENT_CHARS} characters at line ends. Documents are the
 * unit of work of both the sequential and the batched runs, as a data pipeline would hand them over; cutting at line
 * ends keeps every piece boundary where the whole text would have it except across documents.
 */
record BenchCorpus(String name, String[] documents, long utf8Bytes) {
    static final int DOCUMENT_CHARS = 4096;

    static BenchCorpus of(String name, String text) {
        List<String> docs = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = Math.min(text.length(), start + DOCUMENT_CHARS);
            int newline = text.indexOf('\n', end);
            end = newline < 0 || end == text.length() ? text.length() : newline + 1;
            docs.add(text.substring(start, end));
            start = end;
        }
        return new BenchCorpus(name, docs.toArray(String[]::new), text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Tiny Shakespeare as it is. */
    static BenchCorpus shakespeare(Path sharedData) throws IOException {
        return of("tinyshakespeare", Files.readString(sharedData.resolve("tinyshakespeare/input.txt")));
    }

    /**
     * English prose and dialogue, news in English, German and Spanish, and instructions, concatenated and repeated
     * until the text holds {@code targetBytes} of UTF-8.
     */
    static BenchCorpus mixed(Path sharedData, long targetBytes) throws IOException {
        StringBuilder one = new StringBuilder();
        one.append(Files.readString(sharedData.resolve("tinyshakespeare/input.txt")));
        one.append(Files.readString(sharedData.resolve("tinystories/tinystories-train-head.txt")));
        appendJsonStrings(one, sharedData.resolve("cnn-dailymail-slice/article-highlights.jsonl"));
        appendJsonStrings(one, sharedData.resolve("self-instruct/seed_tasks.jsonl"));
        for (String f : new String[] {"newstest2019-src.eng.txt", "newstest2019-ref.deu.txt", "newstest2019-ref.spa.txt"}) {
            one.append(Files.readString(sharedData.resolve("ntrex128-mt/" + f)));
        }
        String block = one.toString();
        long blockBytes = block.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder text = new StringBuilder();
        long bytes = 0;
        while (bytes + blockBytes <= targetBytes) {
            text.append(block);
            bytes += blockBytes;
        }
        // the rest from the start of the block, cut at a line end
        int cut = 0;
        while (bytes < targetBytes && cut < block.length()) {
            int nl = block.indexOf('\n', cut);
            int end = nl < 0 ? block.length() : nl + 1;
            bytes += block.substring(cut, end).getBytes(StandardCharsets.UTF_8).length;
            cut = end;
        }
        text.append(block, 0, cut);
        return of("mixed " + Math.round(targetBytes / 1e6) + " MB", text.toString());
    }

    /** Every string value of every JSON line, one paragraph each. */
    private static void appendJsonStrings(StringBuilder out, Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) continue;
            appendStrings(out, mapper.readTree(line));
        }
    }

    private static void appendStrings(StringBuilder out, JsonNode n) {
        if (n.isTextual()) {
            out.append(n.asText()).append("\n\n");
        } else if (n.isContainerNode()) {
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) appendStrings(out, it.next());
        }
    }

    long characters() {
        long n = 0;
        for (String d : documents) n += d.length();
        return n;
    }
}
