package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a byte-level BPE training run.
 *
 * @param vocabSize        final vocab size including special tokens and the 256 byte tokens
 * @param minPairFrequency training stops early when the most frequent pair occurs fewer times than this (at least 1)
 * @param specialTokens    split points of the text, never merged, given the first ids in this order
 * @param preTokenizer     the pre-tokenizer regex; pairs are only counted inside its matches
 * @param countingThreads  threads counting pre-tokens (the result does not depend on it)
 * @param byteTokenOrder   how the byte tokens are numbered after the special tokens
 */
public record BpeTrainerOptions(int vocabSize, long minPairFrequency, List<String> specialTokens, Pattern preTokenizer,
                                int countingThreads, ByteTokenOrder byteTokenOrder) {

    public BpeTrainerOptions {
        Objects.requireNonNull(specialTokens, "BPE training: specialTokens");
        Objects.requireNonNull(preTokenizer, "BPE training: preTokenizer");
        Objects.requireNonNull(byteTokenOrder, "BPE training: byteTokenOrder");
        specialTokens = List.copyOf(specialTokens);
        var seen = new HashSet<String>();
        for (String s : specialTokens) {
            if (s.isEmpty()) throw new IllegalArgumentException("BPE training: a special token is empty");
            if (!seen.add(s)) throw new IllegalArgumentException("BPE training: special token " + s + " given twice");
        }
        int minimum = 256 + specialTokens.size();
        if (vocabSize < minimum) {
            throw new IllegalArgumentException("BPE training: vocab size " + vocabSize + " is smaller than 256 byte tokens + "
                    + specialTokens.size() + " special tokens = " + minimum);
        }
        if (minPairFrequency < 1) {
            throw new IllegalArgumentException("BPE training: minimum pair frequency " + minPairFrequency + " must be at least 1");
        }
        if (countingThreads < 1) {
            throw new IllegalArgumentException("BPE training: counting threads " + countingThreads + " must be at least 1");
        }
    }

    /** GPT-2 pre-tokenizer, no special tokens, minimum frequency 1, GPT-2 byte order, one counting thread per core. */
    public static BpeTrainerOptions of(int vocabSize) {
        return new BpeTrainerOptions(vocabSize, 1, List.of(), PreTokenizerPatterns.GPT2_PATTERN,
                Runtime.getRuntime().availableProcessors(), ByteTokenOrder.GPT2);
    }

    public BpeTrainerOptions withSpecialTokens(List<String> tokens) {
        return new BpeTrainerOptions(vocabSize, minPairFrequency, tokens, preTokenizer, countingThreads, byteTokenOrder);
    }

    public BpeTrainerOptions withMinPairFrequency(long min) {
        return new BpeTrainerOptions(vocabSize, min, specialTokens, preTokenizer, countingThreads, byteTokenOrder);
    }

    public BpeTrainerOptions withPreTokenizer(Pattern pattern) {
        return new BpeTrainerOptions(vocabSize, minPairFrequency, specialTokens, pattern, countingThreads, byteTokenOrder);
    }

    public BpeTrainerOptions withCountingThreads(int threads) {
        return new BpeTrainerOptions(vocabSize, minPairFrequency, specialTokens, preTokenizer, threads, byteTokenOrder);
    }

    public BpeTrainerOptions withByteTokenOrder(ByteTokenOrder order) {
        return new BpeTrainerOptions(vocabSize, minPairFrequency, specialTokens, preTokenizer, countingThreads, order);
    }

    /** How many merges are needed to reach the vocab size. */
    public int mergeBudget() {
        return vocabSize - 256 - specialTokens.size();
    }
}
