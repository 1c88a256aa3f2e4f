package ai.tarka.tokenizers.bpe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@link ByteLevelBpe} from an in-memory vocabulary whose token strings are in {@link ByteUnicodeTable} form
 * (as in GPT-2's {@code encoder.json} and Hugging Face's {@code tokenizer.json}) and a rank-ordered merge list.
 * Problems are reported as {@link IllegalArgumentException}s that name the offending token or merge; callers that
 * read files wrap them with the file name.
 */
public final class ByteLevelVocab {
    private ByteLevelVocab() {}

    /** One merge, earliest first in the list (its index is its rank). */
    public record Merge(String left, String right) {}

    /**
     * @param vocab    token string (byte-to-unicode form) → id
     * @param merges   merges in rank order
     * @param specials special token text → id; these are matched in raw text and their ids may lie outside {@code vocab}
     * @param wholePieceLookup a piece whose bytes are a whole token becomes that token without merging (tiktoken's
     *                         rule, Hugging Face's {@code ignore_merges})
     */
    public static ByteLevelBpe build(String name, Map<String, Integer> vocab, List<Merge> merges, Pattern preTokenizer,
                                     Map<String, Integer> specials, boolean wholePieceLookup) {
        int size = 0;
        for (int id : vocab.values()) {
            if (id < 0) throw new IllegalArgumentException("vocab: negative id " + id);
            size = Math.max(size, id + 1);
        }
        Map<Integer, String> specialById = new HashMap<>();
        for (Map.Entry<String, Integer> e : specials.entrySet()) specialById.put(e.getValue(), e.getKey());
        byte[][] tokens = new byte[size][];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (specials.containsKey(e.getKey()) || specialById.containsKey(id)) continue; // bytes come from the special's text
            byte[] bytes = ByteUnicodeTable.decode(e.getKey());
            if (bytes == null) {
                throw new IllegalArgumentException("vocab: token '" + e.getKey() + "' (id " + id + ") has a character outside GPT-2's byte-to-unicode table");
            }
            if (tokens[id] != null) throw new IllegalArgumentException("vocab: id " + id + " given twice");
            tokens[id] = bytes;
        }
        PairMergeTable table = new PairMergeTable(merges.size());
        int rank = 0;
        for (Merge m : merges) {
            Integer l = vocab.get(m.left()), r = vocab.get(m.right()), merged = vocab.get(m.left() + m.right());
            if (l == null || r == null || merged == null) {
                String missing = l == null ? m.left() : r == null ? m.right() : m.left() + m.right();
                throw new IllegalArgumentException("merges[" + rank + "] '" + m.left() + " " + m.right() + "' uses '" + missing + "', which is not in the vocabulary");
            }
            table.put(l, r, rank++, merged);
        }
        return new ByteLevelBpe(name, tokens, table, wholePieceLookup, preTokenizer, new SpecialTokens(specials));
    }
}
