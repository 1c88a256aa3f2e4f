package ai.tarka.tokenizers.wordpiece;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.bpe.SpecialTokenPolicy;
import ai.tarka.tokenizers.bpe.SpecialTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WordPiece (BERT): words from {@link BertPreTokenizer}, each split greedily longest-match-first into a word-start piece
 * and continuation pieces; a word with no complete split, or longer than {@value #MAX_WORD_CHARS} code points, becomes
 * the unknown token. [CLS]/[SEP] are added only by {@link #encode(String, boolean)}, as the configuration says.
 * Special tokens ([CLS], [SEP], [MASK], ... or a tokenizer.json's added tokens) written in the text are cut out
 * before the basic tokenizer runs when recognised ({@link #encode(String)}), and are plain text otherwise.
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
    private final SpecialTokens specials;
    private final BoundaryTokens boundary;

    /** {@code skip[i]} true leaves token i out of matching (control tokens such as [CLS]). */
    public WordPieceTokenizer(List<String> tokens, boolean[] skip, Spelling spelling, int unkId, boolean uncased) {
        this(tokens, skip, spelling, unkId, uncased, SpecialTokens.none(), BoundaryTokens.NONE);
    }

    /**
     * @param specials special tokens matched in raw text (text → id)
     * @param boundary what {@link #encode(String, boolean)} puts around the ids
     */
    public WordPieceTokenizer(List<String> tokens, boolean[] skip, Spelling spelling, int unkId, boolean uncased,
                              SpecialTokens specials, BoundaryTokens boundary) {
        if (unkId < 0 || unkId >= tokens.size())
            throw new IllegalArgumentException("wordpiece: unknown-token id " + unkId + " outside vocabulary of " + tokens.size());
        this.tokens = tokens.toArray(String[]::new);
        this.spelling = spelling;
        this.unkId = unkId;
        this.preTokenizer = new BertPreTokenizer(uncased);
        this.specials = specials;
        this.boundary = boundary;
        for (int id : specials.ids().values()) {
            if (id < 0 || id >= tokens.size())
                throw new IllegalArgumentException("wordpiece: special token id " + id + " outside vocabulary of " + tokens.size());
        }
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
        Map<String, Integer> special = new HashMap<>();
        if (gguf.has("tokenizer.ggml.token_type")) {
            int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
            for (int i = 0; i < Math.min(types.length, skip.length); i++) {
                skip[i] = types[i] == 3; // CONTROL
                if (skip[i] && !toks[i].isEmpty()) special.putIfAbsent(toks[i], i);
            }
        }
        boolean hashes = false;
        for (String t : toks) if (t.startsWith(HF_CONTINUATION) && t.length() > 2) { hashes = true; break; }
        int unk = gguf.getInt("tokenizer.ggml.unknown_token_id", indexOf(toks, "[UNK]"));
        // llama.cpp's defaults for BERT vocabularies: [CLS] in front, [SEP] at the end
        int cls = gguf.getInt("tokenizer.ggml.cls_token_id", gguf.getInt("tokenizer.ggml.bos_token_id", -1));
        int sep = gguf.getInt("tokenizer.ggml.seperator_token_id", gguf.getInt("tokenizer.ggml.eos_token_id", -1));
        BoundaryTokens boundary = BoundaryTokens.of(cls, gguf.getBoolean("tokenizer.ggml.add_bos_token", true),
                sep, gguf.getBoolean("tokenizer.ggml.add_sep_token", gguf.getBoolean("tokenizer.ggml.add_eos_token", true)));
        return new WordPieceTokenizer(List.of(toks), skip,
                hashes ? Spelling.HF_CONTINUATION_HASHES : Spelling.GGUF_WORD_START_MARK, unk, true, new SpecialTokens(special), boundary);
    }

    @Override
    public BoundaryTokens boundaryTokens() {
        return boundary;
    }

    public SpecialTokens specialTokens() {
        return specials;
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

    /** Encodes with special-token text recognised. */
    @Override
    public int[] encode(String text) {
        return encode(text, SpecialTokenPolicy.RECOGNISE);
    }

    /** Encodes with special-token text as plain text (it is split as punctuation and words). */
    @Override
    public int[] encodeOrdinary(String text) {
        return encode(text, SpecialTokenPolicy.PLAIN_TEXT);
    }

    public int[] encode(String text, SpecialTokenPolicy policy) {
        List<Integer> ids = new ArrayList<>();
        int from = 0;
        if (policy == SpecialTokenPolicy.RECOGNISE) {
            int[] found = new int[2];
            for (int at; (at = specials.find(text, from, text.length(), found)) >= 0; ) {
                for (String word : preTokenizer.words(text.substring(from, at))) encodeWord(word, ids);
                ids.add(found[0]);
                from = found[1];
            }
        }
        for (String word : preTokenizer.words(from == 0 ? text : text.substring(from))) encodeWord(word, ids);
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
}
