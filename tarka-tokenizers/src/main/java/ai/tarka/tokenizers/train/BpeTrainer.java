package ai.tarka.tokenizers.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-level BPE training (GPT-2 / CS336 rules): split on special tokens, pre-tokenize, count pairs
 * within pre-tokens only, and repeatedly merge the most frequent pair, ties going to the
 * lexicographically greatest (left bytes, right bytes).
 */
public final class BpeTrainer {
    private final BpeTrainerOptions options;

    public BpeTrainer(BpeTrainerOptions options) {
        this.options = options;
    }

    /** Trains on a UTF-8 text file. */
    public TrainedBpe train(Path textFile, TrainingProgress progress) throws IOException {
        return train(Files.readString(textFile, StandardCharsets.UTF_8), progress);
    }

    public TrainedBpe train(String text, TrainingProgress progress) {
        PreTokenCounts counts = PreTokenCounter.count(text, options);
        MergeLoop loop = new MergeLoop(counts);
        List<int[]> learnt = loop.run(options.mergeBudget(), options.minPairFrequency(), progress);

        List<byte[]> vocab = new ArrayList<>(options.vocabSize());
        for (String s : options.specialTokens()) vocab.add(s.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 256; i++) vocab.add(new byte[] {(byte) options.byteTokenOrder().byteAt(i)});
        List<BpeMerge> merges = new ArrayList<>(learnt.size());
        for (int[] m : learnt) {
            BpeMerge merge = new BpeMerge(loop.bytesOf(m[0]), loop.bytesOf(m[1]));
            merges.add(merge);
            vocab.add(merge.merged());
        }
        return new TrainedBpe(merges, vocab, options.specialTokens());
    }
}
