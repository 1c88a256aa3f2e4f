package ai.tarka.tokenizers.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of BPE training: the merges in the order learnt and the vocab, id to bytes (special
 * tokens first, then the 256 byte tokens, then one token per merge).
 *
 * @param merges        learnt merges, most frequent first
 * @param vocab         token bytes by id (copies are handed out by {@link #tokenBytes})
 * @param specialTokens the special tokens, ids 0 .. size-1
 */
public record TrainedBpe(List<BpeMerge> merges, List<byte[]> vocab, List<String> specialTokens) {
    public TrainedBpe {
        merges = List.copyOf(merges);
        List<byte[]> copy = new ArrayList<>(vocab.size());
        for (byte[] b : vocab) copy.add(b.clone());
        vocab = List.copyOf(copy);
        specialTokens = List.copyOf(specialTokens);
    }

    @Override
    public List<byte[]> vocab() {
        List<byte[]> copy = new ArrayList<>(vocab.size());
        for (byte[] b : vocab) copy.add(b.clone());
        return copy;
    }

    public int vocabSize() {
        return vocab.size();
    }

    /** The bytes of token {@code id}. */
    public byte[] tokenBytes(int id) {
        return vocab.get(id).clone();
    }

    public boolean isSpecial(int id) {
        return id < specialTokens.size();
    }
}
