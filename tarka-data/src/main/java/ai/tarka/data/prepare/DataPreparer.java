package ai.tarka.data.prepare;

import ai.tarka.data.PreparedData;
import ai.tarka.data.shard.ShardHeader;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chars.CharTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tokenizes text and JSONL into token shards: {@code train.bin} and {@code val.bin} (numbered
 * {@code train-00000.bin}, ... when a split exceeds the shard size) and {@code meta.json}, plus {@code tokenizer.json}
 * for the character tokenizer.
 *
 * <p>Documents are read in a fixed order and tokenized in batches on a fixed pool of threads; results are written in
 * reading order, so the output is the same for any thread count. The EOS token, when the tokenizer has one, follows
 * every document. Validation gets every (1/f)-th document (exactly round(n·f) of them, spread evenly through the
 * corpus); a corpus of a single document (Tiny Shakespeare) is split by tokens instead: the last f of them, as
 * nanoGPT does. Nothing is left behind on failure: shards are written to temporary names and removed again.
 */
public final class DataPreparer {
    private static final int BATCH_CHARS = 4 << 20;
    private static final int BATCH_DOCUMENTS = 8192;

    /** Progress of a run: input bytes read (of the total), and what is happening. */
    public interface Listener {
        void start(String phase, long totalBytes);

        void bytes(long n);

        void end();

        Listener NONE = new Listener() {
            @Override
            public void start(String phase, long totalBytes) {}

            @Override
            public void bytes(long n) {}

            @Override
            public void end() {}
        };
    }

    private final PrepareOptions options;
    private final Listener listener;

    private DataPreparer(PrepareOptions options, Listener listener) {
        this.options = options;
        this.listener = listener;
    }

    public static PrepareSummary prepare(PrepareOptions options, Listener listener) {
        return new DataPreparer(options, listener).run();
    }

    private PrepareSummary run() {
        long t0 = System.nanoTime();
        List<Path> files = DocumentReader.listFiles(options.inputs());
        long totalBytes = 0;
        for (Path f : files) totalBytes += sizeOf(f);
        Path out = options.outputDir().toAbsolutePath();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("data prepare: cannot create output folder " + out + ": " + e, e);
        }
        Path charTokenizerFile = null;
        TextTokenizer tokenizer;
        if (options.tokenizer() == null) {
            CharTokenizer chars = charVocabulary(files, totalBytes);
            charTokenizerFile = out.resolve("tokenizer.json");
            try {
                chars.write(charTokenizerFile);
            } catch (IOException e) {
                throw new UncheckedIOException("data prepare: cannot write " + charTokenizerFile + ": " + e, e);
            }
            tokenizer = chars;
        } else {
            tokenizer = TokenizerLoader.load(options.tokenizer());
        }
        int vocab = TokenizerLoader.vocabSize(tokenizer);
        if (vocab <= 0) throw new IllegalArgumentException("data prepare: cannot tell the vocabulary size of tokenizer " + options.tokenizer());
        int eos = TokenizerLoader.eosId(tokenizer);

        ShardSink train = new ShardSink(out, "train", vocab, options.shardTokens());
        ShardSink val = new ShardSink(out, "val", vocab, options.shardTokens());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "tarka-data-prepare");
            t.setDaemon(true);
            return t;
        });
        boolean ok = false;
        try (DocumentReader reader = new DocumentReader(options, files, listener::bytes)) {
            listener.start("tokenize", totalBytes);
            long index = 0;
            long textBytes = 0;
            String splitMode = "documents";
            boolean first = true;
            while (true) {
                List<RawDocument> batch = readBatch(reader);
                if (batch.isEmpty()) break;
                Tokenized tok = tokenize(pool, tokenizer, batch);
                textBytes += tok.textBytes;
                if (first && batch.size() == 1 && reader.exhausted()) {
                    splitMode = "tokens";
                    int[] ids = tok.ids[0];
                    int cut = (int) (ids.length * (1 - options.valFraction())); // nanoGPT: data[:int(n*0.9)]
                    train.write(ids, 0, cut, -1);
                    if (options.valFraction() > 0) val.write(ids, cut, ids.length, -1);
                    index++;
                    break;
                }
                first = false;
                for (int[] ids : tok.ids) {
                    (isValidation(index++) ? val : train).write(ids, 0, ids.length, eos);
                }
            }
            listener.end();
            if (index == 0) throw new DataFormatException("data prepare: the inputs hold no documents (" + files.size() + " file(s), all empty)");
            List<Path> trainShards = train.finish();
            List<Path> valShards = options.valFraction() > 0 || val.tokens() > 0 ? val.finish() : List.of();
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            PrepareSummary summary = new PrepareSummary(files.size(), index, train.documents(), val.documents(), train.tokens(),
                    val.tokens(), totalBytes, textBytes, vocab, ShardHeader.widthFor(vocab), eos, eos >= 0 && !splitMode.equals("tokens"),
                    splitMode, trainShards, valShards, out.resolve(PreparedData.META), time);
            writeMeta(summary, tokenizer, charTokenizerFile);
            ok = true;
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("data prepare: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
            if (!ok) {
                train.discard();
                val.discard();
                if (charTokenizerFile != null) deleteQuietly(charTokenizerFile);
            }
        }
    }

    /** Every (1/f)-th document, rounding so that exactly round(n·f) of n documents go to validation. */
    private boolean isValidation(long index) {
        double f = options.valFraction();
        return f > 0 && Math.floor((index + 1) * f + 0.5) > Math.floor(index * f + 0.5);
    }

    private List<RawDocument> readBatch(DocumentReader reader) {
        List<RawDocument> batch = new ArrayList<>();
        long chars = 0;
        while (batch.size() < BATCH_DOCUMENTS && chars < BATCH_CHARS) {
            RawDocument d = reader.next();
            if (d == null) break;
            batch.add(d);
            chars += d.content().length();
        }
        return batch;
    }

    private record Tokenized(int[][] ids, long textBytes) {}

    /** Tokenizes a batch on the pool in contiguous chunks; results keep the batch's order. */
    private Tokenized tokenize(ExecutorService pool, TextTokenizer tokenizer, List<RawDocument> batch) {
        int n = batch.size();
        int[][] ids = new int[n][];
        long[] bytes = new long[n];
        int chunks = Math.min(n, options.threads() * 4);
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        ObjectMapper json = new ObjectMapper();
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(() -> {
                for (int i = from; i < to; i++) {
                    String text = textOf(json, batch.get(i));
                    bytes[i] = Utf8.length(text);
                    ids[i] = tokenizer.encodeOrdinary(text);
                }
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("data prepare: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("data prepare: tokenizing failed: " + e.getCause(), e.getCause());
        }
        long total = 0;
        for (long b : bytes) total += b;
        return new Tokenized(ids, total);
    }

    /** The document text; JSONL lines are parsed here, on the tokenizer threads. */
    private String textOf(ObjectMapper json, RawDocument d) {
        if (!d.json()) return d.content();
        JsonNode node;
        try {
            node = json.readTree(d.content());
        } catch (IOException e) {
            String msg = e.getMessage();
            int cut = msg == null ? -1 : msg.indexOf('\n');
            throw new DataFormatException("data prepare: " + d.origin() + ": invalid JSON: " + (cut > 0 ? msg.substring(0, cut) : msg), e);
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException("data prepare: " + d.origin() + ": expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        JsonNode field = node.get(options.jsonField());
        if (field == null) {
            throw new DataFormatException("data prepare: " + d.origin() + ": field \"" + options.jsonField() + "\" is missing (fields: "
                    + fieldNames(node) + "; choose one with --field)");
        }
        if (!field.isTextual()) {
            throw new DataFormatException("data prepare: " + d.origin() + ": field \"" + options.jsonField() + "\" is "
                    + field.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + ", expected a string");
        }
        return field.asText();
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** First pass for the character tokenizer: the set of code points of every document. */
    private CharTokenizer charVocabulary(List<Path> files, long totalBytes) {
        BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
        ObjectMapper json = new ObjectMapper();
        listener.start("vocabulary", totalBytes);
        try (DocumentReader reader = new DocumentReader(options, files, listener::bytes)) {
            for (RawDocument d = reader.next(); d != null; d = reader.next()) {
                textOf(json, d).codePoints().forEach(seen::set);
            }
        }
        listener.end();
        if (seen.isEmpty()) throw new DataFormatException("data prepare: the inputs hold no characters (" + files.size() + " file(s))");
        return CharTokenizer.fromCodePoints(seen.stream().toArray());
    }

    private void writeMeta(PrepareSummary s, TextTokenizer tokenizer, Path charTokenizerFile) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("format", PreparedData.FORMAT);
        root.put("version", PreparedData.VERSION);
        root.put("created_by", options.createdBy());
        root.put("created_at", Instant.now().toString());
        ObjectNode tok = root.putObject("tokenizer");
        if (charTokenizerFile != null) {
            tok.put("kind", "char");
            tok.put("path", charTokenizerFile.getFileName().toString());
            tok.put("sha256", Fingerprint.sha256(charTokenizerFile));
        } else {
            tok.put("kind", tokenizer.getClass().getSimpleName());
            tok.put("path", options.tokenizer().toAbsolutePath().normalize().toString());
            tok.put("sha256", Fingerprint.sha256(options.tokenizer()));
        }
        tok.put("vocab_size", s.vocabSize());
        tok.put("eos_id", s.eosId());
        root.put("eos_appended", s.eosAppended());
        root.put("token_width", s.tokenWidth());
        root.put("val_fraction", options.valFraction());
        root.put("split", s.splitMode());
        split(root.putObject("train"), s.trainShards(), s.trainTokens(), s.trainDocuments());
        split(root.putObject("val"), s.valShards(), s.valTokens(), s.valDocuments());
        ObjectNode in = root.putObject("inputs");
        ArrayNode paths = in.putArray("paths");
        for (Path p : options.inputs()) paths.add(p.toAbsolutePath().normalize().toString());
        in.put("files", s.inputFiles());
        in.put("documents", s.documents());
        in.put("bytes", s.inputBytes());
        in.put("text_bytes", s.textBytes());
        in.put("format", options.format().name().toLowerCase(java.util.Locale.ROOT));
        if (options.splitLines()) in.put("split_lines", true);
        if (options.separator() != null) in.put("separator", options.separator());
        in.put("field", options.jsonField());
        Path target = s.meta();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            m.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void split(ObjectNode node, List<Path> shards, long tokens, long documents) {
        ArrayNode a = node.putArray("shards");
        for (Path p : shards) a.add(p.getFileName().toString());
        node.put("tokens", tokens);
        node.put("documents", documents);
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException("data prepare: cannot read " + f + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort after the failure being reported
        }
    }
}
