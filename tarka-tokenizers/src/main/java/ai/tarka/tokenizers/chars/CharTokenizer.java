package ai.tarka.tokenizers.chars;

import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Character-level tokenizer (nanoGPT's "shakespeare_char"): the vocabulary is the sorted set of Unicode code
 * points of a corpus and a token id is the code point's rank in it. A character outside the vocabulary is an
 * error (there is no unknown token, as in nanoGPT).
 *
 * <p>Saved as a Hugging Face {@code tokenizer.json} that the {@code tokenizers} library loads: a
 * {@code WordLevel} model whose vocabulary is the characters, a {@code Split} pre-tokenizer that isolates every
 * character (regex {@code [\s\S]}; Oniguruma, which the Python bindings use, has no {@code (?s)}), and a {@code Fuse} decoder so decoding concatenates without spaces. A
 * byte-level BPE could not express this: it needs all 256 bytes as tokens, so the vocabulary would not be the
 * corpus's 65 characters.
 */
public final class CharTokenizer implements TextTokenizer {
    static final String SPLIT_REGEX = "[\\s\\S]"; // any character, newlines included, in Java, Rust and Oniguruma alike
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final int[] codePoints; // sorted, distinct; id = index
    private final int[] bmpIds = new int[65536]; // id + 1 for code points below 65536, 0 when absent

    private CharTokenizer(int[] sortedDistinct) {
        if (sortedDistinct.length == 0) throw new IllegalArgumentException("char tokenizer: empty vocabulary (the corpus has no characters)");
        this.codePoints = sortedDistinct;
        for (int i = 0; i < codePoints.length; i++) if (codePoints[i] < 65536) bmpIds[codePoints[i]] = i + 1;
    }

    /** The vocabulary of {@code text}: its distinct code points in increasing order. */
    public static CharTokenizer fromText(CharSequence text) {
        return fromCodePoints(text.codePoints().toArray());
    }

    /** The vocabulary of any code points (duplicates and order do not matter). */
    public static CharTokenizer fromCodePoints(int[] codePoints) {
        return new CharTokenizer(Arrays.stream(codePoints).distinct().sorted().toArray());
    }

    public int vocabSize() {
        return codePoints.length;
    }

    /** The code points in id order. */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /** The id of code point {@code cp}, or -1 when it is not in the vocabulary. */
    public int id(int cp) {
        if (cp >= 0 && cp < 65536) return bmpIds[cp] - 1;
        int i = Arrays.binarySearch(codePoints, cp);
        return i >= 0 ? i : -1;
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = id(cp);
            if (id < 0) {
                throw new IllegalArgumentException("char tokenizer: character U+" + String.format("%04X", cp) + " ('"
                        + new String(Character.toChars(cp)) + "') at index " + i + " is not in the " + codePoints.length + "-character vocabulary");
            }
            out[n++] = id;
            i += Character.charCount(cp);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Same as {@link #encode}: there are no special tokens. */
    @Override
    public int[] encodeOrdinary(String text) {
        return encode(text);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) sb.appendCodePoint(id >= 0 && id < codePoints.length ? codePoints[id] : 0xFFFD);
        return sb.toString();
    }

    /** Writes the tokenizer.json (temporary file beside the target, then renamed over it). */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, toTree());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    ObjectNode toTree() {
        ObjectNode root = F.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode split = root.putObject("pre_tokenizer");
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", SPLIT_REGEX);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < codePoints.length; i++) vocab.put(new String(Character.toChars(codePoints[i])), i);
        model.put("unk_token", "<unk>"); // required by the schema; not in the vocabulary, so unknown characters fail
        return root;
    }

    /** Whether a parsed tokenizer.json is this kind (a WordLevel model over single characters). */
    public static boolean isCharTokenizer(JsonNode root) {
        return root.path("model").path("type").asText("").equals("WordLevel")
                && root.path("pre_tokenizer").path("pattern").path("Regex").asText("").equals(SPLIT_REGEX);
    }

    /** Reads a tokenizer.json written by {@link #write}; errors name the file and the JSON path. */
    public static CharTokenizer fromTree(Path file, JsonNode root) {
        if (!isCharTokenizer(root)) {
            throw new TokenizerFormatException(file, 0, "model.type: not a character tokenizer (expected a WordLevel model with a Split on "
                    + SPLIT_REGEX + ")");
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) throw new TokenizerFormatException(file, 0, "model.vocab: missing or empty");
        int[] byId = new int[vocab.size()];
        Arrays.fill(byId, -1);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String ch = e.getKey();
            int id = e.getValue().asInt(-1);
            if (ch.codePointCount(0, ch.length()) != 1) {
                throw new TokenizerFormatException(file, 0, "model.vocab[\"" + ch + "\"]: a character tokenizer's tokens are single characters");
            }
            if (!e.getValue().isIntegralNumber() || id < 0 || id >= byId.length || byId[id] != -1) {
                throw new TokenizerFormatException(file, 0, "model.vocab[\"" + ch + "\"]: id " + e.getValue() + " is not a free id in [0, " + byId.length + ")");
            }
            byId[id] = ch.codePointAt(0);
        }
        for (int i = 1; i < byId.length; i++) {
            if (byId[i] <= byId[i - 1]) {
                throw new TokenizerFormatException(file, 0, "model.vocab: ids must follow the characters' code point order (id " + i + ")");
            }
        }
        return new CharTokenizer(byId);
    }

    public static CharTokenizer load(Path file) {
        try {
            // read as text: Jackson's byte parser rejects a supplementary character in an escaped object key
            return fromTree(file, new ObjectMapper().readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read tokenizer.json: " + e.getMessage(), e);
        }
    }
}
