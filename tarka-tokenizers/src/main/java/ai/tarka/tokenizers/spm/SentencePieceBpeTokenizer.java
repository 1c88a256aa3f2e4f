package ai.tarka.tokenizers.spm;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.bpe.SpecialTokenPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * SentencePiece BPE as Llama 2, Mistral and Phi-3 use it (llama.cpp's "llama"/SPM vocabulary): spaces become
 * {@code ▁}, a dummy {@code ▁} is put in front, the text starts as one symbol per code point, and adjacent symbols are
 * merged repeatedly, always the pair whose merged piece has the highest score (ties: the leftmost). A final symbol
 * that is not a piece falls back to its UTF-8 bytes as {@code <0xNN>} tokens, or to the unknown token when the
 * vocabulary has no byte tokens. BOS/EOS are added only by {@link #encode(String, boolean)}, as the configuration says.
 *
 * <p>User-defined tokens are cut out of the text first, as whole tokens, the way llama.cpp does even when special
 * tokens are not parsed: longest token text first, and the text after such a token gets its own dummy prefix
 * ({@link SpacePrefix#EVERY_SEGMENT}, as llama.cpp and Hugging Face's {@code Prepend} normaliser do). Control tokens
 * (such as "&lt;s&gt;", "&lt;|end|&gt;") are cut out the same way by {@link #encode(String)} and are plain text to
 * {@link #encodeOrdinary(String)} (llama.cpp's {@code parse_special=false}).
 *
 * <p>A piece whose score is {@code -Infinity} is never the result of a merge: loaded from a Hugging Face
 * {@code tokenizer.json}, only pieces that some listed merge produces are merged, scored by minus their merge rank.
 */
public final class SentencePieceBpeTokenizer implements ai.tarka.tokenizers.TextTokenizer {
    /** llama.cpp token types (tokenizer.ggml.token_type). */
    public static final int TYPE_NORMAL = 1, TYPE_UNKNOWN = 2, TYPE_CONTROL = 3, TYPE_USER_DEFINED = 4,
            TYPE_UNUSED = 5, TYPE_BYTE = 6;
    private static final char SPACE_MARK = '\u2581';

    private final String[] tokens;
    private final float[] scores;
    private final int[] types;
    private final Map<String, Integer> pieces = new HashMap<>();
    private final int[] byteTokens = new int[256];
    private final int unkId;
    private final SpacePrefix spacePrefix;
    private final BoundaryTokens boundary;
    /** User-defined token ids, longest text first (ties: lower id). */
    private final int[] userDefined;
    /** User-defined and control token ids, longest text first (ties: lower id). */
    private final int[] userDefinedAndControl;

    /** Where the dummy {@code ▁} goes. */
    public enum SpacePrefix {
        /** In front of the text and of every stretch of text after a cut-out token (llama.cpp; HF {@code Prepend} normaliser). */
        EVERY_SEGMENT,
        /** As {@link #EVERY_SEGMENT}, but not where the stretch already starts with a space (HF Metaspace {@code "always"}). */
        EVERY_SEGMENT_UNLESS_SPACE,
        /** Only in front of the text itself, unless it starts with a space (HF Metaspace {@code prepend_scheme: "first"}). */
        FIRST_SEGMENT_UNLESS_SPACE,
        /** Nowhere. */
        NONE
    }

    public SentencePieceBpeTokenizer(String[] tokens, float[] scores, int[] types, int unkId, boolean addSpacePrefix) {
        this(tokens, scores, types, unkId, addSpacePrefix ? SpacePrefix.EVERY_SEGMENT : SpacePrefix.NONE, BoundaryTokens.NONE);
    }

    public SentencePieceBpeTokenizer(String[] tokens, float[] scores, int[] types, int unkId, SpacePrefix spacePrefix,
                                     BoundaryTokens boundary) {
        if (scores.length != tokens.length || types.length != tokens.length)
            throw new IllegalArgumentException("spm: " + tokens.length + " tokens but " + scores.length + " scores and "
                    + types.length + " token types");
        if (unkId < 0 || unkId >= tokens.length)
            throw new IllegalArgumentException("spm: unknown-token id " + unkId + " outside vocabulary of " + tokens.length);
        this.tokens = tokens.clone();
        this.scores = scores.clone();
        this.types = types.clone();
        this.unkId = unkId;
        this.spacePrefix = spacePrefix;
        this.boundary = boundary;
        Arrays.fill(byteTokens, -1);
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == TYPE_BYTE) {
                int b = parseByteToken(tokens[id]);
                if (b >= 0) byteTokens[b] = id;
            } else if (types[id] == TYPE_NORMAL || types[id] == TYPE_USER_DEFINED || types[id] == TYPE_UNUSED) {
                // control and unknown tokens are never produced from text
                pieces.putIfAbsent(tokens[id], id);
            }
        }
        this.userDefined = longestFirst(tokens, types, false);
        this.userDefinedAndControl = longestFirst(tokens, types, true);
    }

    private static int[] longestFirst(String[] tokens, int[] types, boolean withControl) {
        return IntStream.range(0, tokens.length)
                .filter(id -> (types[id] == TYPE_USER_DEFINED || (withControl && types[id] == TYPE_CONTROL)) && !tokens[id].isEmpty())
                .boxed().sorted(Comparator.comparingInt((Integer id) -> -tokens[id].length()).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue).toArray();
    }

    /** A tokenizer from a llama.cpp GGUF whose {@code tokenizer.ggml.model} is "llama". */
    public static SentencePieceBpeTokenizer fromGguf(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model");
        if (!model.equals("llama"))
            throw new IllegalArgumentException(gguf.source() + ": tokenizer.ggml.model is '" + model + "', SentencePiece BPE needs 'llama'");
        String[] toks = gguf.getStringArray("tokenizer.ggml.tokens");
        float[] sc = gguf.has("tokenizer.ggml.scores") ? gguf.getFloatArray("tokenizer.ggml.scores") : new float[toks.length];
        int[] ty;
        if (gguf.has("tokenizer.ggml.token_type")) ty = gguf.getIntArray("tokenizer.ggml.token_type");
        else {
            ty = new int[toks.length];
            Arrays.fill(ty, TYPE_NORMAL);
        }
        // llama.cpp's defaults for this vocabulary type: BOS added, EOS not
        BoundaryTokens boundary = BoundaryTokens.of(gguf.getInt("tokenizer.ggml.bos_token_id", -1),
                gguf.getBoolean("tokenizer.ggml.add_bos_token", true), gguf.getInt("tokenizer.ggml.eos_token_id", -1),
                gguf.getBoolean("tokenizer.ggml.add_eos_token", false));
        return new SentencePieceBpeTokenizer(toks, sc, ty, gguf.getInt("tokenizer.ggml.unknown_token_id", 0),
                gguf.getBoolean("tokenizer.ggml.add_space_prefix", true) ? SpacePrefix.EVERY_SEGMENT : SpacePrefix.NONE, boundary);
    }

    @Override
    public BoundaryTokens boundaryTokens() {
        return boundary;
    }

    /** The text of a token as stored (with {@code ▁} for spaces); throws for an id outside the vocabulary. */
    public String token(int id) {
        if (id < 0 || id >= tokens.length) throw new IllegalArgumentException("spm: id " + id + " outside vocabulary of " + tokens.length);
        return tokens[id];
    }

    private static int parseByteToken(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
        try {
            return Integer.parseInt(t.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public int vocabSize() {
        return tokens.length;
    }

    /** A candidate merge of the symbols at {@code left} and {@code right}; {@code length} detects stale entries. */
    private record Bigram(int left, int right, float score, int length) {
    }

    /** Encodes with control and user-defined tokens in the text recognised. */
    @Override
    public int[] encode(String text) {
        return encode(text, SpecialTokenPolicy.RECOGNISE);
    }

    /** Encodes with control-token text as plain text; user-defined tokens are still cut out, as llama.cpp does. */
    @Override
    public int[] encodeOrdinary(String text) {
        return encode(text, SpecialTokenPolicy.PLAIN_TEXT);
    }

    public int[] encode(String text, SpecialTokenPolicy policy) {
        if (text.isEmpty()) return new int[0];
        int[] cut = policy == SpecialTokenPolicy.RECOGNISE ? userDefinedAndControl : userDefined;
        if (cut.length == 0) return encodeText(text, prefixFor(text, true, true));
        IntList out = new IntList();
        boolean prevToken = true, first = true;
        for (Object fragment : splitTokens(text, cut)) {
            if (fragment instanceof Integer id) {
                out.add(id);
                prevToken = true;
            } else {
                out.addAll(encodeText((String) fragment, prefixFor((String) fragment, prevToken, first)));
                prevToken = false;
            }
            first = false;
        }
        return out.toArray();
    }

    /** Whether a stretch of text gets the dummy {@code ▁}, given what precedes it. */
    private boolean prefixFor(String fragment, boolean afterToken, boolean first) {
        return switch (spacePrefix) {
            case EVERY_SEGMENT -> afterToken;
            case EVERY_SEGMENT_UNLESS_SPACE -> afterToken && !fragment.startsWith(" ");
            case FIRST_SEGMENT_UNLESS_SPACE -> first && !fragment.startsWith(" ");
            case NONE -> false;
        };
    }

    /** Text split into String fragments and Integer token ids, the tokens' text cut out longest first. */
    private List<Object> splitTokens(String text, int[] cut) {
        List<Object> fragments = new ArrayList<>(List.of(text));
        for (int id : cut) {
            String tok = tokens[id];
            List<Object> next = new ArrayList<>();
            for (Object f : fragments) {
                if (!(f instanceof String str)) {
                    next.add(f);
                    continue;
                }
                int from = 0;
                for (int at = str.indexOf(tok); at >= 0; at = str.indexOf(tok, from)) {
                    if (at > from) next.add(str.substring(from, at));
                    next.add(id);
                    from = at + tok.length();
                }
                if (from < str.length()) next.add(str.substring(from));
            }
            fragments = next;
        }
        return fragments;
    }

    private int[] encodeText(String text, boolean spacePrefix) {
        String s = ((spacePrefix ? " " : "") + text).replace(' ', SPACE_MARK);
        if (s.isEmpty()) return new int[0];
        int n = s.codePointCount(0, s.length());
        // symbols as a doubly linked list over char ranges of s; merged-away symbols get length 0
        int[] start = new int[n], length = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0, at = 0; i < n; i++) {
            start[i] = at;
            length[i] = Character.charCount(s.codePointAt(at));
            at += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(queue, s, start, length, i - 1, i);
        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            int l = bg.left, r = bg.right;
            if (length[l] == 0 || length[r] == 0 || length[l] + length[r] != bg.length || next[l] != r) continue;
            length[l] += length[r];
            length[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            if (prev[l] >= 0) offer(queue, s, start, length, prev[l], l);
            if (next[l] >= 0) offer(queue, s, start, length, l, next[l]);
        }
        int[] out = new int[s.length() * 4];
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            String piece = s.substring(start[i], start[i] + length[i]);
            Integer id = pieces.get(piece);
            if (id != null) {
                out[count++] = id;
                continue;
            }
            // only a single code point can be left unmatched, since merges require the merged piece to exist
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int bt = byteTokens[b & 0xff];
                out[count++] = bt >= 0 ? bt : unkId;
            }
        }
        return Arrays.copyOf(out, count);
    }

    private void offer(PriorityQueue<Bigram> queue, String s, int[] start, int[] length, int l, int r) {
        Integer id = pieces.get(s.substring(start[l], start[r] + length[r]));
        if (id != null && scores[id] != Float.NEGATIVE_INFINITY) queue.add(new Bigram(l, r, scores[id], length[l] + length[r]));
    }

    /** The text back: byte tokens reassembled as UTF-8, {@code ▁} as space, the dummy prefix space removed, control tokens skipped. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= tokens.length)
                throw new IllegalArgumentException("spm decode: id " + id + " outside vocabulary of " + tokens.length);
            if (types[id] == TYPE_CONTROL) continue;
            if (types[id] == TYPE_BYTE && parseByteToken(tokens[id]) >= 0) bytes.write(parseByteToken(tokens[id]));
            else bytes.writeBytes(tokens[id].replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return spacePrefix != SpacePrefix.NONE && text.startsWith(" ") ? text.substring(1) : text;
    }

    /** A growable int array, to collect ids without boxing. */
    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, 2 * n);
            a[n++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) add(v);
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
