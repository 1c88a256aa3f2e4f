package ai.tarka.cli.bench;

import ai.tarka.cli.progress.Progress;
import ai.tarka.common.SharedData;
import ai.tarka.kernels.ComputePool;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.hf.HfTokenizer;
import ai.tarka.tokenizers.hf.HfTokenizerJson;
import ai.tarka.tokenizers.hf.HfTokenizerJsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench tokenizer}: encoding speed of Tarka's byte-level BPE (Qwen3 {@code tokenizer.json}, GPT-2
 * {@code encoder.json}/{@code vocab.bpe}) against Hugging Face tokenizers (Rust, through DJL) on the same documents in
 * the same run, one thread and batched over the cores. Before timing, both must give identical ids on every document;
 * the match is reported. Hugging Face reads the GPT-2 vocabulary from a {@code tokenizer.json} that Tarka writes, so
 * the match also checks that writer.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Tokenizer encoding speed (MB/s, tokens/s): Tarka against Hugging Face tokenizers (Rust) in the same run.")
public final class TokenizerBench implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "The shared data folder (default: found as the tests find it).")
    Path data;

    @Option(names = "--tokenizers", split = ",", description = "Tokenizers: qwen3, gpt2 (default: ${DEFAULT-VALUE}).",
            defaultValue = "qwen3,gpt2")
    List<String> tokenizers;

    @Option(names = "--mixed-mb", description = "Size of the mixed text in MB; 0 leaves it out (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    double mixedMb;

    @Option(names = "--runs", description = "Timed runs per point, median reported (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int runs;

    @Option(names = "--warmup", description = "Warm-up runs per point (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmup;

    @Option(names = "--modes", split = ",", description = "single (one thread), batched (all cores) (default: ${DEFAULT-VALUE}).",
            defaultValue = "single,batched")
    List<String> modes;

    @Option(names = "--no-hf", description = "Measure Tarka only, even when Hugging Face tokenizers are available.")
    boolean noHf;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmup < 0) throw new IllegalArgumentException("bench tokenizer: --runs must be >= 1 and --warmup >= 0");
        for (String m : modes) {
            if (!m.equals("single") && !m.equals("batched")) throw new IllegalArgumentException("bench tokenizer: unknown mode '" + m + "' (single, batched)");
        }
        Path root = data != null ? data : SharedData.root();
        boolean hf = !noHf && djlAvailable();
        if (!noHf && !hf) {
            System.out.println("bench tokenizer: Hugging Face tokenizers (" + DJL_CLASS + ") is not on the "
                    + "classpath; measuring Tarka only. Build with ./tarka (it copies DJL to tarka-cli/target/bench-lib).");
        }
        List<BenchCorpus> corpora = new ArrayList<>();
        corpora.add(BenchCorpus.shakespeare(root));
        if (mixedMb > 0) corpora.add(BenchCorpus.mixed(root, Math.round(mixedMb * 1e6)));

        BenchReport report = new BenchReport("Tokenizer encoding, Tarka vs Hugging Face tokenizers (Rust, via DJL)",
                "tokenizer", "corpus", "mode", "Tarka MB/s", "Tarka Mtok/s", "HF MB/s", "HF Mtok/s", "Tarka/HF", "ids identical");
        report.context("threads", "single = 1; batched = " + ComputePool.shared().threads() + " (Tarka compute pool) / "
                        + "Hugging Face's own pool (one encode_batch call)")
                .context("documents", "corpus cut at line ends into ~" + BenchCorpus.DOCUMENT_CHARS + "-character documents")
                .context("runs", runs + " timed (median) after " + warmup + " warm-up, Tarka and Hugging Face alternating");
        for (BenchCorpus c : corpora) {
            report.context("corpus " + c.name(), String.format(Locale.ROOT, "%.2f MB UTF-8, %d documents", c.utf8Bytes() / 1e6, c.documents().length));
        }
        Path temp = Files.createTempDirectory("tarka-bench-tokenizer");
        try {
            for (String t : tokenizers) measure(t, root, temp, hf, corpora, report);
        } finally {
            deleteTree(temp);
        }
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private void measure(String which, Path root, Path temp, boolean hf, List<BenchCorpus> corpora, BenchReport report)
            throws Exception {
        Path dir = Files.createDirectories(temp.resolve(which));
        Path hfJson = dir.resolve("tokenizer.json");
        BenchTokenizer tarka;
        switch (which) {
            case "qwen3" -> {
                Path gz = root.resolve("qwen3-tokenizer/tokenizer.json.gz");
                HfTokenizer q = HfTokenizerJson.load(gz);
                tarka = new TarkaBenchTokenizer("qwen3", q);
                if (hf) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                        Files.copy(in, hfJson);
                    }
                }
            }
            case "gpt2" -> {
                ByteLevelBpe g = Gpt2BpeLoader.load(root.resolve("gpt2-bpe/encoder.json"), root.resolve("gpt2-bpe/vocab.bpe"));
                tarka = new TarkaBenchTokenizer("gpt2", g);
                if (hf) HfTokenizerJsonWriter.write(g, hfJson); // Hugging Face needs a tokenizer.json; Tarka writes it
            }
            default -> throw new IllegalArgumentException("bench tokenizer: unknown tokenizer '" + which + "' (qwen3, gpt2)");
        }
        if (hf) report.context("hf " + which, "tokenizer.json for Hugging Face: " + (which.equals("gpt2") ? "written by Tarka from encoder.json + vocab.bpe" : "qwen3-tokenizer/tokenizer.json.gz, unzipped"));
        try (BenchTokenizer other = hf ? HfRustBenchTokenizer.load(which, hfJson) : null) {
            for (BenchCorpus c : corpora) {
                String match = other == null ? "-" : compareIds(tarka, other, c);
                for (String mode : modes) {
                    boolean batched = mode.equals("batched");
                    Timing tt, ht = null;
                    try (Progress p = Progress.start("bench tokenizer " + which + " " + c.name() + " " + mode,
                            (long) (warmup + runs) * (other == null ? 1 : 2), "runs")) {
                        double[] tSec = new double[runs], hSec = new double[runs];
                        long tTokens = 0, hTokens = 0;
                        for (int i = -warmup; i < runs; i++) {
                            long[] tk = new long[1];
                            double s = time(tarka, c, batched, tk);
                            tTokens = tk[0];
                            p.step(1);
                            if (i >= 0) tSec[i] = s;
                            if (other != null) {
                                s = time(other, c, batched, tk);
                                hTokens = tk[0];
                                p.step(1);
                                if (i >= 0) hSec[i] = s;
                            }
                        }
                        tt = new Timing(median(tSec), tTokens);
                        if (other != null) ht = new Timing(median(hSec), hTokens);
                    }
                    double tMb = c.utf8Bytes() / 1e6 / tt.seconds, tTok = tt.tokens / 1e6 / tt.seconds;
                    String key = "tokenizer." + which + "." + (c.name().startsWith("mixed") ? "mixed" : c.name()) + "." + mode;
                    if (ht == null) {
                        report.row(which, c.name(), mode, f2(tMb), f3(tTok), "-", "-", "-", match);
                        report.record(BenchRecord.of(key + ".tarka", tMb, "MB/s"));
                    } else {
                        double hMb = c.utf8Bytes() / 1e6 / ht.seconds, hTok = ht.tokens / 1e6 / ht.seconds;
                        report.row(which, c.name(), mode, f2(tMb), f3(tTok), f2(hMb), f3(hTok),
                                String.format(Locale.ROOT, "%.2fx", tMb / hMb), match);
                        report.record(BenchRecord.compared(key + ".tarka", tMb, "MB/s", key + ".hf", hMb));
                    }
                }
            }
        }
    }

    private record Timing(double seconds, long tokens) {}

    /** DJL's tokenizer class; looked up by name so that nothing here links against DJL when it is absent. */
    static final String DJL_CLASS = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";

    static boolean djlAvailable() {
        try {
            Class.forName(DJL_CLASS, false, TokenizerBench.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static double time(BenchTokenizer t, BenchCorpus c, boolean batched, long[] tokens) {
        long t0 = System.nanoTime();
        tokens[0] = batched ? t.encodeBatched(c.documents()) : t.encodeSequential(c.documents());
        return (System.nanoTime() - t0) / 1e9;
    }

    /** "N/N" documents with identical ids; the first difference is printed. */
    private static String compareIds(BenchTokenizer a, BenchTokenizer b, BenchCorpus c) {
        int same = 0;
        String[] docs = c.documents();
        boolean shown = false;
        for (String d : docs) {
            long[] x = a.ids(d), y = b.ids(d);
            b.checkTimedPath(d, y);
            if (Arrays.equals(x, y)) {
                same++;
            } else if (!shown) {
                shown = true;
                int at = Arrays.mismatch(x, y);
                System.out.println("bench tokenizer: " + a.name() + " on " + c.name() + ": ids differ from Hugging Face at token "
                        + at + " of a document (Tarka " + x.length + " tokens, HF " + y.length + ")");
            }
        }
        return same + "/" + docs.length;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
