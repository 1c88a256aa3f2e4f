package ai.tarka.cli.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hugging Face tokenizers (Rust) through DJL's binding, with truncation and padding off (DJL's default truncates to
 * 512 tokens) and no special tokens added. Only this class names DJL types, so the bench runs without DJL on the
 * classpath as long as this class is never loaded ({@code TokenizerBench.djlAvailable()} says whether it may be).
 *
 * <p>Timed runs call DJL's JNI entry points for the ids only ({@code encode}, {@code getTokenIds},
 * {@code deleteEncoding}; {@code batchEncode} for batches). DJL's {@code HuggingFaceTokenizer.encode} also copies every
 * token's string, offsets, type id, masks and word id into Java objects, which costs several times the Rust
 * tokenization itself and would flatter Tarka; {@link #ids} uses that public API, so the id check goes through both.
 */
final class HfRustBenchTokenizer implements BenchTokenizer {
    private final String name;
    private final HuggingFaceTokenizer tokenizer;
    private final long handle;

    private HfRustBenchTokenizer(String name, HuggingFaceTokenizer tokenizer) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.handle = tokenizer.getHandle();
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
    public void checkTimedPath(String document, long[] ids) {
        if (!java.util.Arrays.equals(ids, idsOnly(document))) {
            throw new IllegalStateException("bench tokenizer: DJL's ids-only JNI path disagrees with its encode() on a document");
        }
    }

    /** The ids through the JNI calls the timed runs use. */
    private long[] idsOnly(String document) {
        long encoding = TokenizersLibrary.LIB.encode(handle, document, false);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    @Override
    public long encodeSequential(String[] documents) {
        long tokens = 0;
        for (String d : documents) tokens += idsOnly(d).length;
        return tokens;
    }

    /** One {@code encode_batch} call: the Rust library spreads it over its own thread pool (all cores). */
    @Override
    public long encodeBatched(String[] documents) {
        long tokens = 0;
        for (long encoding : TokenizersLibrary.LIB.batchEncode(handle, documents, false)) {
            tokens += TokenizersLibrary.LIB.getTokenIds(encoding).length;
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        return tokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
