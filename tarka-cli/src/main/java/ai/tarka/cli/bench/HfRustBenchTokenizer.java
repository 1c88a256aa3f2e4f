package ai.tarka.cli.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hugging Face tokenizers (Rust) through DJL's binding, with truncation and padding off (DJL's default truncates to
 * 512 tokens) and no special tokens added. Only this class names DJL types, so the bench runs without DJL on the
 * classpath as long as this class is never loaded ({@link #available()} says whether it may be).
 */
final class HfRustBenchTokenizer implements BenchTokenizer {
    static final String DJL_CLASS = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";
    private final String name;
    private final HuggingFaceTokenizer tokenizer;

    private HfRustBenchTokenizer(String name, HuggingFaceTokenizer tokenizer) {
        this.name = name;
        this.tokenizer = tokenizer;
    }

    /** Whether DJL's Hugging Face tokenizers are on the classpath. */
    static boolean available() {
        try {
            Class.forName(DJL_CLASS, false, HfRustBenchTokenizer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loads a plain (not gzipped) {@code tokenizer.json}. */
    static HfRustBenchTokenizer load(String name, Path tokenizerJson) throws IOException {
        HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optTruncation(false)
                .optPadding(false)
                .optAddSpecialTokens(false)
                .build();
        return new HfRustBenchTokenizer(name, t);
    }

    /** The version of the Rust library DJL loaded. */
    String version() {
        return tokenizer.getVersion();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] ids(String document) {
        return tokenizer.encode(document, false, false).getIds();
    }

    @Override
    public long encodeSequential(String[] documents) {
        long tokens = 0;
        for (String d : documents) tokens += tokenizer.encode(d, false, false).getIds().length;
        return tokens;
    }

    /** One {@code encode_batch} call: the Rust library spreads it over its own thread pool (all cores). */
    @Override
    public long encodeBatched(String[] documents) {
        long tokens = 0;
        for (Encoding e : tokenizer.batchEncode(documents, false, false)) tokens += e.getIds().length;
        return tokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
