package ai.tarka.tokenizers.bpe;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE of the GPT-2 / tiktoken family: the text is split by a pre-tokenizer regex, each piece is turned
 * into its UTF-8 bytes, each byte into its single-byte token, and adjacent tokens are merged lowest rank first until
 * no listed pair remains. Encoding is thread-safe (scratch and a bounded piece cache are per thread).
 *
 * <p>Lone surrogates in the input cannot be UTF-8 encoded; like tiktoken they are replaced by U+FFFD before
 * encoding, so such text round-trips with U+FFFD in their place.
 */
public final class ByteLevelBpe implements ai.tarka.tokenizers.TextTokenizer {
    private static final int CACHE_LIMIT = 1 << 15;
    /** From this many bytes a piece is merged through the heap (n log n) instead of the quadratic scan. */
    static final int HEAP_MERGE_FROM = 128;

    private final String name;
    private final byte[][] decodeTable;
    private final int vocabularySize;
    private final PairMergeTable merges;
    private final ByteSliceIndex tokenIndex;
    private final boolean wholePieceLookup;
    private final int[] byteToId = new int[256];
    private final Pattern preTokenizer;
    /** The GPT-2, cl100k (= Llama 3), Qwen2 and o200k regexes run as hand-written scanners that find the same pieces faster. */
    private final int scanner;
    private static final int REGEX = 0, GPT2_SCANNER = 1, CL100K_SCANNER = 2, O200K_SCANNER = 3, QWEN2_SCANNER = 4;
    private final SpecialTokens specials;
    private final ai.tarka.tokenizers.BoundaryTokens boundary;
    private final ThreadLocal<EncodeScratch> scratch = ThreadLocal.withInitial(EncodeScratch::new);

    /**
     * @param tokenBytes       bytes of each ordinary token by id (null where an id is unused)
     * @param merges           the merge table over ordinary token ids
     * @param wholePieceLookup tiktoken's rule: a piece whose bytes are a whole token becomes that token without merging
     */
    ByteLevelBpe(String name, byte[][] tokenBytes, PairMergeTable merges, boolean wholePieceLookup, Pattern preTokenizer,
                 SpecialTokens specials) {
        this.name = Objects.requireNonNull(name);
        this.merges = merges;
        this.wholePieceLookup = wholePieceLookup;
        this.preTokenizer = preTokenizer;
        boolean unicodeClasses = preTokenizer.flags() == PreTokenizerPatterns.GPT2_PATTERN.flags();
        this.scanner = !unicodeClasses ? REGEX
                : preTokenizer.pattern().equals(PreTokenizerPatterns.GPT2) ? GPT2_SCANNER
                : preTokenizer.pattern().equals(PreTokenizerPatterns.CL100K) ? CL100K_SCANNER
                : preTokenizer.pattern().equals(PreTokenizerPatterns.O200K) ? O200K_SCANNER
                : preTokenizer.pattern().equals(PreTokenizerPatterns.QWEN2) ? QWEN2_SCANNER : REGEX;
        this.specials = specials;
        this.boundary = ai.tarka.tokenizers.BoundaryTokens.NONE;
        this.tokenIndex = new ByteSliceIndex(tokenBytes);
        byte[] one = new byte[1];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            byteToId[b] = tokenIndex.find(one, 0, 1);
            if (byteToId[b] < 0) throw new IllegalArgumentException(name + ": no token for the single byte " + b + "; byte-level BPE needs all 256");
        }
        int size = tokenBytes.length;
        for (int id : specials.ids().values()) size = Math.max(size, id + 1);
        decodeTable = java.util.Arrays.copyOf(tokenBytes, size);
        for (Map.Entry<String, Integer> e : specials.ids().entrySet()) {
            int id = e.getValue();
            if (id < tokenBytes.length && tokenBytes[id] != null && !java.util.Arrays.equals(tokenBytes[id], e.getKey().getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalArgumentException(name + ": special token " + e.getKey() + " has id " + id + ", which an ordinary token already uses");
            }
            decodeTable[id] = e.getKey().getBytes(StandardCharsets.UTF_8);
        }
        vocabularySize = size;
    }

    /** The same tokenizer (sharing every table) with {@code boundary} as what {@code encode(text, true)} adds. */
    private ByteLevelBpe(ByteLevelBpe from, ai.tarka.tokenizers.BoundaryTokens boundary) {
        this.name = from.name;
        this.decodeTable = from.decodeTable;
        this.vocabularySize = from.vocabularySize;
        this.merges = from.merges;
        this.tokenIndex = from.tokenIndex;
        this.wholePieceLookup = from.wholePieceLookup;
        System.arraycopy(from.byteToId, 0, this.byteToId, 0, 256);
        this.preTokenizer = from.preTokenizer;
        this.scanner = from.scanner;
        this.specials = from.specials;
        this.boundary = boundary;
    }

    public ByteLevelBpe withBoundaryTokens(ai.tarka.tokenizers.BoundaryTokens boundary) {
        return new ByteLevelBpe(this, java.util.Objects.requireNonNull(boundary));
    }

    @Override
    public ai.tarka.tokenizers.BoundaryTokens boundaryTokens() {
        return boundary;
    }

    public String name() {
        return name;
    }

    /** One more than the largest id, ordinary or special. */
    public int vocabularySize() {
        return vocabularySize;
    }

    public SpecialTokens specialTokens() {
        return specials;
    }

    /**
     * The merges as {@code {left id, right id, merged id}} triples, lowest rank first (equal ranks, as tiktoken files
     * give every split of a token, ordered by left then right id). For writing the tokenizer out; not a hot path.
     */
    public int[][] mergesInRankOrder() {
        int[][] entries = merges.entriesByRank();
        int[][] out = new int[entries.length][];
        for (int i = 0; i < entries.length; i++) out[i] = new int[] {entries[i][0], entries[i][1], entries[i][3]};
        return out;
    }

    /** Whether a piece that is a whole token becomes that token without merging (tiktoken; Hugging Face's ignore_merges). */
    public boolean wholePieceLookup() {
        return wholePieceLookup;
    }

    /** The pre-tokenizer regex (Java syntax) that splits text into pieces before merging. */
    public String preTokenizerPattern() {
        return preTokenizer.pattern();
    }

    /** True when the pre-tokenizer is GPT-2's, cl100k's, Qwen2's or o200k's and runs as a hand-written scanner, false for a regex. */
    public boolean usesHandWrittenScanner() {
        return scanner != REGEX;
    }

    /** Encodes with special tokens recognised (their text becomes their id). */
    public int[] encode(String text) {
        return encode(text, SpecialTokenPolicy.RECOGNISE);
    }

    /** Encodes treating special-token text as ordinary text. */
    public int[] encodeOrdinary(String text) {
        return encode(text, SpecialTokenPolicy.PLAIN_TEXT);
    }

    public int[] encode(String text, SpecialTokenPolicy policy) {
        String clean = replaceLoneSurrogates(text);
        EncodeScratch s = scratch.get();
        s.outSize = 0;
        if (policy == SpecialTokenPolicy.PLAIN_TEXT || specials.isEmpty()) {
            encodeOrdinary(clean, 0, clean.length(), s);
        } else {
            int[] found = s.found;
            int from = 0;
            for (int at; (at = specials.find(clean, from, clean.length(), found)) >= 0; ) {
                encodeOrdinary(clean, from, at, s);
                s.emit(found[0]);
                from = found[1];
            }
            encodeOrdinary(clean, from, clean.length(), s);
        }
        return java.util.Arrays.copyOf(s.out, s.outSize);
    }

    private void encodeOrdinary(String text, int from, int to, EncodeScratch s) {
        if (from >= to) return;
        if (scanner != REGEX) {
            for (int start = from; start < to; ) {
                int end = switch (scanner) {
                    case GPT2_SCANNER -> Gpt2PieceScanner.pieceEnd(text, start, to);
                    case CL100K_SCANNER -> Cl100kPieceScanner.pieceEnd(text, start, to, 3);
                    case QWEN2_SCANNER -> Cl100kPieceScanner.pieceEnd(text, start, to, 1);
                    default -> O200kPieceScanner.pieceEnd(text, start, to);
                };
                encodePiece(text, start, end, s);
                start = end;
            }
            return;
        }
        Matcher m = preTokenizer.matcher(text).region(from, to);
        while (m.find()) encodePiece(text, m.start(), m.end(), s);
    }

    private void encodePiece(String text, int start, int end, EncodeScratch s) {
        int n = s.utf8(text, start, end);
        if (n == 1) {
            s.emit(byteToId[s.bytes[0] & 0xFF]);
            return;
        }
        if (wholePieceLookup) {
            int id = tokenIndex.find(s.bytes, 0, n);
            if (id >= 0) {
                s.emit(id);
                return;
            }
        }
        String piece = text.substring(start, end);
        int[] cached = s.cache.get(piece);
        if (cached == null) {
            int count = mergePiece(s, n);
            cached = java.util.Arrays.copyOf(s.ids, count);
            if (s.cache.size() >= CACHE_LIMIT) s.cache.clear();
            s.cache.put(piece, cached);
        }
        for (int id : cached) s.emit(id);
    }

    /** Merges the n bytes in the scratch buffer; leaves the tokens in {@code s.ids} and returns how many. */
    private int mergePiece(EncodeScratch s, int n) {
        s.ensurePieceCapacity(n);
        int[] ids = s.ids, ranks = s.ranks;
        byte[] bytes = s.bytes;
        for (int i = 0; i < n; i++) ids[i] = byteToId[bytes[i] & 0xFF];
        if (n >= HEAP_MERGE_FROM) return s.heapMerger.merge(ids, n, merges, ids);
        for (int i = 0; i < n - 1; i++) ranks[i] = merges.rank(ids[i], ids[i + 1]);
        int count = n;
        while (count > 1) {
            int best = PairMergeTable.NO_MERGE, at = -1;
            for (int i = 0; i < count - 1; i++) {
                if (ranks[i] < best) {
                    best = ranks[i];
                    at = i;
                }
            }
            if (at < 0) break;
            ids[at] = merges.mergedAt(merges.find(ids[at], ids[at + 1]));
            System.arraycopy(ids, at + 2, ids, at + 1, count - at - 2);
            System.arraycopy(ranks, at + 2, ranks, at + 1, Math.max(0, count - at - 3));
            count--;
            if (at < count - 1) ranks[at] = merges.rank(ids[at], ids[at + 1]);
            if (at > 0) ranks[at - 1] = merges.rank(ids[at - 1], ids[at]);
        }
        return count;
    }

    /** The bytes of one token (ordinary or special); throws for an id outside the vocabulary. */
    public byte[] tokenBytes(int id) {
        byte[] b = id >= 0 && id < decodeTable.length ? decodeTable[id] : null;
        if (b == null) throw new IllegalArgumentException(name + " decode: token id " + id + " is not in the vocabulary (size " + vocabularySize + ")");
        return b;
    }

    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) total += tokenBytes(id).length;
        byte[] out = new byte[total];
        int at = 0;
        for (int id : ids) {
            byte[] b = decodeTable[id];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** Decodes to text; byte sequences that are not valid UTF-8 become U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** A fresh decoder that releases text only once the bytes of a character are complete. */
    public Utf8StreamDecoder streamDecoder() {
        return new Utf8StreamDecoder(this::tokenBytes);
    }

    static String replaceLoneSurrogates(String text) {
        int n = text.length();
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                if (out != null) out.append(c);
                continue;
            }
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                if (out != null) out.append(c).append(text.charAt(i + 1));
                i++;
                continue;
            }
            if (out == null) out = new StringBuilder(n).append(text, 0, i);
            out.append('\uFFFD');
        }
        return out == null ? text : out.toString();
    }

    /** Per-thread buffers reused across pieces and calls. */
    private static final class EncodeScratch {
        byte[] bytes = new byte[256];
        int[] ids = new int[256];
        int[] ranks = new int[256];
        int[] out = new int[1024];
        int outSize;
        final int[] found = new int[2];
        final HashMap<String, int[]> cache = new HashMap<>();
        final HeapPieceMerger heapMerger = new HeapPieceMerger();
        void emit(int id) {
            if (outSize == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
            out[outSize++] = id;
        }

        void ensurePieceCapacity(int n) {
            if (ids.length < n) {
                ids = new int[n];
                ranks = new int[n];
            }
        }

        /** Writes the UTF-8 of text[start, end) (no lone surrogates) into {@code bytes}; returns the length. */
        int utf8(String text, int start, int end) {
            if (bytes.length < (end - start) * 3) bytes = new byte[(end - start) * 3];
            byte[] b = bytes;
            int n = 0;
            for (int i = start; i < end; i++) {
                int c = text.charAt(i);
                if (c < 0x80) {
                    b[n++] = (byte) c;
                } else if (c < 0x800) {
                    b[n++] = (byte) (0xC0 | (c >> 6));
                    b[n++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate((char) c)) {
                    int cp = Character.toCodePoint((char) c, text.charAt(++i));
                    b[n++] = (byte) (0xF0 | (cp >> 18));
                    b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[n++] = (byte) (0xE0 | (c >> 12));
                    b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[n++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return n;
        }
    }
}
