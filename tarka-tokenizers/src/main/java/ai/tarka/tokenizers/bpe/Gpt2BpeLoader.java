package ai.tarka.tokenizers.bpe;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads GPT-2's original files: {@code encoder.json} (token string in {@link ByteUnicodeTable} form → id) and
 * {@code vocab.bpe} (a {@code #version} line, then one {@code left right} merge per line, earliest first).
 * Merges apply by pair rank, as GPT-2's own encoder does.
 */
public final class Gpt2BpeLoader {
    private Gpt2BpeLoader() {}

    /** GPT-2 with its pre-tokenizer and {@code <|endoftext|>} as the special token (when the vocabulary has it). */
    public static ByteLevelBpe load(Path encoderJson, Path vocabBpe) {
        return load("gpt2", encoderJson, vocabBpe, PreTokenizerPatterns.GPT2_PATTERN, Map.of("<|endoftext|>", -1));
    }

    /**
     * @param specials special token text → id; an id of -1 means "the id {@code encoder.json} gives that text"
     */
    public static ByteLevelBpe load(String name, Path encoderJson, Path vocabBpe, Pattern preTokenizer, Map<String, Integer> specials) {
        Map<String, Integer> encoder = readEncoder(encoderJson);
        int size = 0;
        for (int id : encoder.values()) size = Math.max(size, id + 1);
        byte[][] tokens = new byte[size][];
        Map<String, Integer> specialIds = new HashMap<>();
        for (Map.Entry<String, Integer> e : specials.entrySet()) {
            int id = e.getValue() >= 0 ? e.getValue() : encoder.getOrDefault(e.getKey(), -1);
            if (id < 0) throw new TokenizerFormatException(encoderJson, 0, "special token " + e.getKey() + " is not in the vocabulary");
            specialIds.put(e.getKey(), id);
        }
        for (Map.Entry<String, Integer> e : encoder.entrySet()) {
            if (specialIds.containsKey(e.getKey())) continue; // its bytes come from the special token's text
            byte[] bytes = ByteUnicodeTable.decode(e.getKey());
            if (bytes == null) {
                throw new TokenizerFormatException(encoderJson, 0, "token '" + e.getKey() + "' (id " + e.getValue()
                        + ") has a character outside GPT-2's byte-to-unicode table");
            }
            if (tokens[e.getValue()] != null) throw new TokenizerFormatException(encoderJson, 0, "id " + e.getValue() + " given twice");
            tokens[e.getValue()] = bytes;
        }
        PairMergeTable merges = readMerges(vocabBpe, encoder);
        return new ByteLevelBpe(name, tokens, merges, false, preTokenizer, new SpecialTokens(specialIds));
    }

    static Map<String, Integer> readEncoder(Path file) {
        Map<String, Integer> encoder = new HashMap<>();
        try (JsonParser p = new ObjectMapper().getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new TokenizerFormatException(file, line(p), "expected a JSON object of token → id");
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) throw new TokenizerFormatException(file, line(p), "id of token '" + token + "' is not an integer");
                int id = p.getIntValue();
                if (id < 0) throw new TokenizerFormatException(file, line(p), "negative id " + id + " for token '" + token + "'");
                if (encoder.put(token, id) != null) throw new TokenizerFormatException(file, line(p), "token '" + token + "' given twice");
            }
            if (t != JsonToken.END_OBJECT) throw new TokenizerFormatException(file, line(p), "expected a JSON object of token → id");
        } catch (IOException e) {
            throw new TokenizerFormatException(file, "cannot read encoder.json: " + e.getMessage(), e);
        }
        return encoder;
    }

    private static int line(JsonParser p) {
        return p.currentLocation().getLineNr();
    }

    static PairMergeTable readMerges(Path file, Map<String, Integer> encoder) {
        PairMergeTable merges = new PairMergeTable(encoder.size());
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int rank = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isEmpty() || (lineNo == 1 && line.startsWith("#version"))) continue;
                int space = line.indexOf(' ');
                if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                    throw new TokenizerFormatException(file, lineNo, "expected 'left right', got '" + TiktokenLoader.abbreviate(line) + "'");
                }
                String left = line.substring(0, space), right = line.substring(space + 1);
                Integer l = encoder.get(left), r = encoder.get(right), m = encoder.get(left + right);
                if (l == null || r == null || m == null) {
                    String missing = l == null ? left : r == null ? right : left + right;
                    throw new TokenizerFormatException(file, lineNo, "merge '" + line + "' uses '" + missing + "', which is not in the vocabulary");
                }
                merges.put(l, r, rank++, m);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            // the reader decodes ahead of the lines it returns, so the bad bytes are at or after the next line
            throw new TokenizerFormatException(file, "not valid UTF-8 at or after line " + (lineNo + 1), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read merges file " + file, e);
        }
        return merges;
    }
}
