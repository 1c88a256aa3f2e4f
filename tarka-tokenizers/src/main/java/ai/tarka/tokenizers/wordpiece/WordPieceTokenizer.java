package ai.tarka.tokenizers.wordpiece;

import ai.tarka.formats.gguf.GgufFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WordPiece (BERT): words from {@link BertPreTokenizer}, each split greedily longest-match-first into a word-start piece
 * and continuation pieces; a word with no complete split, or longer than {@value #MAX_WORD_CHARS} code points, becomes
 * the unknown token. No [CLS]/[SEP] are added.
 *
 * <p>Two vocabulary spellings exist: Hugging Face marks continuations with {@code ##} ("play", "##ing"), llama.cpp's
 * GGUF marks word starts with {@code ▁} ("▁play", "ing"). Both are read into the same two lookup tables.
 */
public final class WordPieceTokenizer implements ai.tarka.tokenizers.TextTokenizer {
    public static final int MAX_WORD_CHARS = 100;
    private static final String GGUF_WORD_START = "\u2581";
    private static final String HF_CONTINUATION = "##";

    /** How a vocabulary spells word starts and continuations. */
    public enum Spelling { HF_CONTINUATION_HASHES, GGUF_WORD_START_MARK }

    private final String[] tokens;
    private final Spelling spelling;
    private final Map<String, Integer> wordStarts = new HashMap<>();
    private final Map<String, Integer> continuations = new HashMap<>();
    private final int unkId;
    private final int maxPieceChars;
    private final BertPreTokenizer preTokenizer;

    /** {@code skip[i]} true leaves token i out of matching (control tokens such as [CLS]). */
    public WordPieceTokenizer(List<String> tokens, boolean[] skip, Spelling spelling, int unkId, boolean uncased) {
        if (unkId < 0 || unkId >= tokens.size())
            throw new IllegalArgumentException("wordpiece: unknown-token id " + unkId + " outside vocabulary of " + tokens.size());
        this.tokens = tokens.toArray(String[]::new);
        this.spelling = spelling;
        this.unkId = unkId;
        this.preTokenizer = new BertPreTokenizer(uncased);
        int longest = 1;
        for (int id = 0; id < this.tokens.length; id++) {
            if (skip != null && skip[id]) continue;
            String t = this.tokens[id];
            String piece;
            Map<String, Integer> table;
            if (spelling == Spelling.GGUF_WORD_START_MARK) {
                boolean start = t.startsWith(GGUF_WORD_START);
                piece = start ? t.substring(1) : t;
                table = start ? wordStarts : continuations;
            } else {
                boolean cont = t.startsWith(HF_CONTINUATION) && t.length() > 2;
                piece = cont ? t.substring(2) : t;
                table = cont ? continuations : wordStarts;
            }
            if (piece.isEmpty()) continue;
            table.putIfAbsent(piece, id); // the first id wins when a vocabulary repeats a piece
            longest = Math.max(longest, piece.length());
        }
        this.maxPieceChars = longest;
    }

    /** A tokenizer from a llama.cpp GGUF whose {@code tokenizer.ggml.model} is "bert". */
    public static WordPieceTokenizer fromGguf(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model");
        if (!model.equals("bert"))
            throw new IllegalArgumentException(gguf.source() + ": tokenizer.ggml.model is '" + model + "', WordPiece needs 'bert'");
        String[] toks = gguf.getStringArray("tokenizer.ggml.tokens");
        boolean[] skip = new boolean[toks.length];
        if (gguf.has("tokenizer.ggml.token_type")) {
            int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
            for (int i = 0; i < Math.min(types.length, skip.length); i++) skip[i] = types[i] == 3; // CONTROL
        }
        boolean hashes = false;
        for (String t : toks) if (t.startsWith(HF_CONTINUATION) && t.length() > 2) { hashes = true; break; }
        int unk = gguf.getInt("tokenizer.ggml.unknown_token_id", indexOf(toks, "[UNK]"));
        return new WordPieceTokenizer(List.of(toks), skip,
                hashes ? Spelling.HF_CONTINUATION_HASHES : Spelling.GGUF_WORD_START_MARK, unk, true);
    }

    private static int indexOf(String[] toks, String t) {
        for (int i = 0; i < toks.length; i++) if (toks[i].equals(t)) return i;
        return 0;
    }

    public int vocabSize() {
        return tokens.length;
    }

    public int unknownId() {
        return unkId;
    }

    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String word : preTokenizer.words(text)) encodeWord(word, ids);
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
        return out;
    }

    private void encodeWord(String word, List<Integer> ids) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            ids.add(unkId);
            return;
        }
        int mark = ids.size();
        int start = 0;
        while (start < word.length()) {
            Map<String, Integer> table = start == 0 ? wordStarts : continuations;
            int end = Math.min(word.length(), start + maxPieceChars);
            Integer found = null;
            while (end > start) {
                // never cut a surrogate pair in half
                if (end < word.length() && Character.isLowSurrogate(word.charAt(end)) && Character.isHighSurrogate(word.charAt(end - 1))) {
                    end--;
                    continue;
                }
                found = table.get(word.substring(start, end));
                if (found != null) break;
                end--;
            }
            if (found == null) {
                while (ids.size() > mark) ids.removeLast();
                ids.add(unkId);
                return;
            }
            ids.add(found);
            start = end;
        }
    }

    /** Pieces joined back: a space before each word start (but the first), continuations glued on. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id < 0 || id >= tokens.length)
                throw new IllegalArgumentException("wordpiece decode: id " + id + " outside vocabulary of " + tokens.length);
            String t = tokens[id];
            boolean start;
            String piece;
            if (spelling == Spelling.GGUF_WORD_START_MARK) {
                start = t.startsWith(GGUF_WORD_START) || id == unkId;
                piece = t.startsWith(GGUF_WORD_START) ? t.substring(1) : t;
            } else {
                start = !(t.startsWith(HF_CONTINUATION) && t.length() > 2);
                piece = start ? t : t.substring(2);
            }
            if (start && !sb.isEmpty()) sb.append(' ');
            sb.append(piece);
        }
        return sb.toString();
    }

    /** Same as {@link #encode}: special-token text is never parsed by this tokenizer yet (llama.cpp's parse_special=false). */
    @Override
    public int[] encodeOrdinary(String text) {
        return encode(text);
    }
}
