package ai.tarka.tokenizers.train;

import ai.tarka.common.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Times BPE training (not a test): {@code java ... BpeTrainingProbe <shared-data file> <vocab size> [threads]}.
 * Counting and merging are timed separately over a few repetitions after a warm-up run.
 */
public final class BpeTrainingProbe {
    private BpeTrainingProbe() {}

    public static void main(String[] args) throws Exception {
        Path file = SharedData.resolve(args.length > 0 ? args[0] : "cs336-bpe-fixtures/corpus.en");
        int vocab = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String text = Files.readString(file);
        var options = BpeTrainerOptions.of(vocab).withSpecialTokens(List.of("<|endoftext|>")).withCountingThreads(threads);
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            PreTokenCounts counts = PreTokenCounter.count(text, options);
            long t1 = System.nanoTime();
            MergeLoop loop = new MergeLoop(counts);
            int merges = loop.run(options.mergeBudget(), options.minPairFrequency(), TrainingProgress.NONE).size();
            long t2 = System.nanoTime();
            System.out.printf("%s (%d chars, %d distinct pre-tokens), vocab %d, %d threads: count %.1f ms, merge %.1f ms (%d merges), total %.1f ms%s%n",
                    file.getFileName(), text.length(), counts.words().length, vocab, threads, (t1 - t0) / 1e6, (t2 - t1) / 1e6, merges,
                    (t2 - t0) / 1e6, rep == 0 ? " (cold)" : "");
        }
    }
}
