package ai.tarka.data.prepare;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@link DataPreparer} produced.
 *
 * @param inputBytes  bytes of the input files read
 * @param textBytes   UTF-8 bytes of the document texts tokenized (JSON syntax excluded)
 * @param eosId       the tokenizer's end-of-text id, or -1
 * @param eosAppended whether it follows every document in the shards (not for a single document split by tokens)
 * @param splitMode   "documents" (every 1/f-th document to validation) or "tokens" (single document: last f of its tokens)
 */
public record PrepareSummary(int inputFiles, long documents, long trainDocuments, long valDocuments, long trainTokens,
                             long valTokens, long inputBytes, long textBytes, int vocabSize, int tokenWidth, int eosId, boolean eosAppended,
                             String splitMode, List<Path> trainShards, List<Path> valShards, Path meta, Duration time) {

    public long tokens() {
        return trainTokens + valTokens;
    }

    public double tokensPerByte() {
        return textBytes == 0 ? 0 : (double) tokens() / textBytes;
    }

    /** A few lines for people. */
    public String describe() {
        double secs = time.toNanos() / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("documents   %,d (train %,d, val %,d; split by %s)%n", documents, trainDocuments, valDocuments, splitMode));
        sb.append(String.format("tokens      %,d (train %,d, val %,d), vocab %,d, uint%d%s%n", tokens(), trainTokens, valTokens,
                vocabSize, tokenWidth * 8, eosAppended ? ", EOS " + eosId + " after each document" : eosId >= 0 ? ", EOS " + eosId + " (not appended: one document)" : ", no EOS token"));
        sb.append(String.format("bytes       %,d of text in %,d bytes from %d file%s; %.4f tokens per byte%n", textBytes, inputBytes,
                inputFiles, inputFiles == 1 ? "" : "s", tokensPerByte()));
        sb.append("shards      ");
        for (Path p : trainShards) sb.append(p.getFileName()).append(' ');
        for (Path p : valShards) sb.append(p.getFileName()).append(' ');
        sb.append(String.format("+ %s in %s%n", meta.getFileName(), meta.getParent()));
        sb.append(String.format("time        %.2f s (%,.0f tokens/s)%n", secs, secs > 0 ? tokens() / secs : 0));
        return sb.toString();
    }
}
