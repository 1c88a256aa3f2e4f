package ai.tarka.tokenizers.hf;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import ai.tarka.tokenizers.bpe.ByteLevelBpe;
import ai.tarka.tokenizers.bpe.ByteLevelVocab;
import ai.tarka.tokenizers.bpe.ByteUnicodeTable;
import ai.tarka.tokenizers.train.BpeMerge;
import ai.tarka.tokenizers.train.TrainedBpe;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a byte-level BPE as a Hugging Face {@code tokenizer.json} in the schema the {@code tokenizers} library reads
 * (format version "1.0"): no normaliser, a {@code ByteLevel} pre-tokenizer (GPT-2's regex) or a {@code Sequence} of an
 * isolating {@code Split} on any other regex followed by a regex-free {@code ByteLevel}, {@code ByteLevel}
 * post-processor and decoder, and a {@code BPE} model whose vocab is in id order and whose merges are
 * {@code [left, right]} pairs in rank order. Added tokens are written both in {@code added_tokens} and in the vocab,
 * as Hugging Face's trainer does. The file is written beside its target and renamed over it.
 */
public final class HfTokenizerJsonWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private HfTokenizerJsonWriter() {}

    /** Writes a trained BPE; its special tokens become special added tokens, and the pre-tokenizer is GPT-2's. */
    public static void write(TrainedBpe bpe, Path file) throws IOException {
        write(bpe, PreTokenizerPatterns.GPT2_PATTERN, file);
    }

    /** Writes a trained BPE whose pre-tokenizer regex was {@code preTokenizer} (the one it was trained with). */
    public static void write(TrainedBpe bpe, Pattern preTokenizer, Path file) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<HfAddedToken> added = new ArrayList<>();
        for (int id = 0; id < bpe.vocabSize(); id++) {
            String token;
            if (bpe.isSpecial(id)) {
                token = bpe.specialTokens().get(id);
                added.add(new HfAddedToken(id, token, true));
            } else {
                token = ByteUnicodeTable.encode(bpe.tokenBytes(id));
            }
            if (vocab.putIfAbsent(token, id) != null) {
                throw new IllegalArgumentException("tokenizer.json " + file + ": token " + token + " (id " + id + ") appears twice");
            }
        }
        List<ByteLevelVocab.Merge> merges = new ArrayList<>(bpe.merges().size());
        for (BpeMerge m : bpe.merges()) {
            merges.add(new ByteLevelVocab.Merge(ByteUnicodeTable.encode(m.left()), ByteUnicodeTable.encode(m.right())));
        }
        write(vocab, merges, added, preTokenizer.pattern(), false, file);
    }

    /**
     * Writes a loaded byte-level BPE (tiktoken, GPT-2 files, tokenizer.json); its special tokens become special added
     * tokens. The pre-tokenizer is written in the Java syntax the tokenizer holds, which equals Hugging Face's for the
     * GPT-2, cl100k and o200k patterns.
     */
    public static void write(ByteLevelBpe bpe, Path file) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Map<Integer, String> specialById = new java.util.TreeMap<>();
        for (Map.Entry<String, Integer> e : bpe.specialTokens().ids().entrySet()) specialById.put(e.getValue(), e.getKey());
        List<HfAddedToken> added = new ArrayList<>();
        for (Map.Entry<Integer, String> e : specialById.entrySet()) added.add(new HfAddedToken(e.getKey(), e.getValue(), true));
        String[] text = new String[bpe.vocabularySize()];
        for (int id = 0; id < text.length; id++) {
            if (specialById.containsKey(id)) continue;
            byte[] bytes;
            try {
                bytes = bpe.tokenBytes(id);
            } catch (IllegalArgumentException unused) {
                continue; // an id no token uses
            }
            text[id] = ByteUnicodeTable.encode(bytes);
            if (vocab.putIfAbsent(text[id], id) != null) {
                throw new IllegalArgumentException("tokenizer.json " + file + ": token " + text[id] + " (id " + id + ") appears twice");
            }
        }
        int[][] triples = bpe.mergesInRankOrder();
        List<ByteLevelVocab.Merge> merges = new ArrayList<>(triples.length);
        for (int[] t : triples) merges.add(new ByteLevelVocab.Merge(text[t[0]], text[t[1]]));
        write(vocab, merges, added, bpe.preTokenizerPattern(), bpe.wholePieceLookup(), file);
    }

    /**
     * Writes a vocabulary given in byte-to-unicode form.
     *
     * @param vocab          token string → id (written sorted by id)
     * @param merges         merges in rank order
     * @param addedTokens    added tokens; they are also put into the vocab when missing there
     * @param preTokenizer   the pre-tokenizer regex in the syntax Hugging Face's Rust regex reads
     * @param ignoreMerges   a piece that is a whole token becomes that token without merging (tiktoken's rule)
     */
    public static void write(Map<String, Integer> vocab, List<ByteLevelVocab.Merge> merges, List<HfAddedToken> addedTokens,
                             String preTokenizer, boolean ignoreMerges, Path file) throws IOException {
        ObjectNode root = toTree(vocab, merges, addedTokens, preTokenizer, ignoreMerges);
        Path target = file.toAbsolutePath();
        // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would keep it so.
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, root);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static ObjectNode toTree(Map<String, Integer> vocab, List<ByteLevelVocab.Merge> merges, List<HfAddedToken> addedTokens,
                             String preTokenizer, boolean ignoreMerges) {
        ObjectNode root = F.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (HfAddedToken t : addedTokens) {
            ObjectNode a = added.addObject();
            a.put("id", t.id());
            a.put("content", t.content());
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", !t.special());
            a.put("special", t.special());
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", preTokenizer(preTokenizer));
        root.set("post_processor", byteLevel());
        root.set("decoder", byteLevel());
        root.set("model", model(vocab, merges, addedTokens, ignoreMerges));
        return root;
    }

    private static ObjectNode preTokenizer(String regex) {
        if (regex.equals(PreTokenizerPatterns.GPT2)) {
            return byteLevel();
        }
        ObjectNode seq = F.objectNode();
        seq.put("type", "Sequence");
        ArrayNode steps = seq.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        // The Split already cut the text; a second regex pass in ByteLevel would cut it again.
        steps.add(byteLevel().put("use_regex", false));
        return seq;
    }

    /** The ByteLevel component as Hugging Face serialises it in all three places (pre-tokenizer, post-processor, decoder). */
    private static ObjectNode byteLevel() {
        ObjectNode b = F.objectNode();
        b.put("type", "ByteLevel");
        b.put("add_prefix_space", false);
        b.put("trim_offsets", true);
        b.put("use_regex", true);
        return b;
    }

    private static ObjectNode model(Map<String, Integer> vocab, List<ByteLevelVocab.Merge> merges, List<HfAddedToken> addedTokens,
                                    boolean ignoreMerges) {
        ObjectNode m = F.objectNode();
        m.put("type", "BPE");
        m.putNull("dropout");
        m.putNull("unk_token");
        m.putNull("continuing_subword_prefix");
        m.putNull("end_of_word_suffix");
        m.put("fuse_unk", false);
        m.put("byte_fallback", false);
        m.put("ignore_merges", ignoreMerges);
        Map<String, Integer> all = new LinkedHashMap<>(vocab);
        for (HfAddedToken t : addedTokens) all.putIfAbsent(t.content(), t.id());
        List<Map.Entry<String, Integer>> byId = new ArrayList<>(all.entrySet());
        byId.sort(Map.Entry.comparingByValue());
        ObjectNode v = m.putObject("vocab");
        for (Map.Entry<String, Integer> e : byId) v.put(e.getKey(), e.getValue().intValue());
        ArrayNode ms = m.putArray("merges");
        for (ByteLevelVocab.Merge merge : merges) ms.addArray().add(merge.left()).add(merge.right());
        return m;
    }
}
