package ai.tarka.data.prepare;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DataPreparer} reads and how.
 *
 * @param inputs            text / JSONL files, or folders of them (walked recursively, in path order; hidden files skipped)
 * @param outputDir         where {@code train.bin}, {@code val.bin}, {@code meta.json} (and a char tokenizer.json) go
 * @param tokenizer         a tokenizer path ({@code TokenizerLoader} formats), or null for the character tokenizer
 * @param format            how input files are read
 * @param splitLines        text files: every non-empty line is a document (otherwise a whole file is one)
 * @param separator         text files: documents are separated by this string (null: not used)
 * @param jsonField         JSONL: the string field holding the document
 * @param valFraction       share of documents (or, for a single document, of its tokens: the last ones) for validation
 * @param shardTokens       a shard is closed after the document that takes it past this many tokens
 * @param threads           tokenizer threads
 * @param createdBy         written into meta.json ("tarka 0.1.0")
 */
public record PrepareOptions(List<Path> inputs, Path outputDir, Path tokenizer, InputFormat format, boolean splitLines,
                             String separator, String jsonField, double valFraction, long shardTokens, int threads,
                             String createdBy) {
    public static final long DEFAULT_SHARD_TOKENS = 1L << 30;

    public PrepareOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) throw new IllegalArgumentException("data prepare: no input files given");
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("data prepare: validation fraction " + valFraction + " must be in [0, 1)");
        }
        if (splitLines && separator != null) {
            throw new IllegalArgumentException("data prepare: choose either split-lines or a document separator, not both");
        }
        if (separator != null && separator.isEmpty()) throw new IllegalArgumentException("data prepare: empty document separator");
        if (shardTokens <= 0) throw new IllegalArgumentException("data prepare: shard size " + shardTokens + " tokens must be positive");
        if (threads <= 0) throw new IllegalArgumentException("data prepare: threads " + threads + " must be positive");
        if (jsonField == null || jsonField.isEmpty()) jsonField = "text";
        if (format == null) format = InputFormat.AUTO;
    }

    /** Defaults: automatic format, whole files, field "text", 10% validation, one shard per 2^30 tokens, all cores. */
    public static PrepareOptions of(List<Path> inputs, Path outputDir, Path tokenizer) {
        return new PrepareOptions(inputs, outputDir, tokenizer, InputFormat.AUTO, false, null, "text", 0.1,
                DEFAULT_SHARD_TOKENS, Runtime.getRuntime().availableProcessors(), "tarka");
    }

    public PrepareOptions withValFraction(double f) {
        return new PrepareOptions(inputs, outputDir, tokenizer, format, splitLines, separator, jsonField, f, shardTokens, threads, createdBy);
    }

    public PrepareOptions withShardTokens(long n) {
        return new PrepareOptions(inputs, outputDir, tokenizer, format, splitLines, separator, jsonField, valFraction, n, threads, createdBy);
    }

    public PrepareOptions withThreads(int n) {
        return new PrepareOptions(inputs, outputDir, tokenizer, format, splitLines, separator, jsonField, valFraction, shardTokens, n, createdBy);
    }
}
