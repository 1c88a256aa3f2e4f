package ai.tarka.tokenizers.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a tiktoken rank file ({@code base64(token bytes) rank} per line; the rank is the token id) into a
 * {@link ByteLevelBpe}. tiktoken merges the adjacent pair whose concatenation has the lowest rank; that rule is
 * expressed as a pair table by listing, for every token, each split into two tokens.
 */
public final class TiktokenLoader {
    private TiktokenLoader() {}

    public static ByteLevelBpe load(String name, Path rankFile, Pattern preTokenizer, Map<String, Integer> specials) {
        byte[][] tokens = readRanks(rankFile);
        ByteSliceIndex index = new ByteSliceIndex(tokens);
        PairMergeTable merges = new PairMergeTable(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            byte[] t = tokens[id];
            if (t == null) continue;
            for (int split = 1; split < t.length; split++) {
                int left = index.find(t, 0, split);
                if (left < 0) continue;
                int right = index.find(t, split, t.length);
                if (right >= 0) merges.put(left, right, id, id);
            }
        }
        return new ByteLevelBpe(name, tokens, merges, true, preTokenizer, new SpecialTokens(specials));
    }

    static byte[][] readRanks(Path file) {
        List<byte[]> byRank = new ArrayList<>();
        Base64.Decoder base64 = Base64.getDecoder();
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int space = line.indexOf(' ');
                if (space <= 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw new TokenizerFormatException(file, lineNo, "expected 'base64token rank', got '" + abbreviate(line) + "'");
                }
                byte[] token;
                int rank;
                try {
                    token = base64.decode(line.substring(0, space));
                } catch (IllegalArgumentException e) {
                    throw new TokenizerFormatException(file, lineNo, "token is not base64: " + e.getMessage());
                }
                try {
                    rank = Integer.parseInt(line.substring(space + 1).trim());
                } catch (NumberFormatException e) {
                    throw new TokenizerFormatException(file, lineNo, "rank is not an integer: '" + abbreviate(line.substring(space + 1)) + "'");
                }
                if (rank < 0 || rank > 10_000_000) throw new TokenizerFormatException(file, lineNo, "rank " + rank + " out of range");
                if (token.length == 0) throw new TokenizerFormatException(file, lineNo, "empty token");
                while (byRank.size() <= rank) byRank.add(null);
                if (byRank.get(rank) != null) throw new TokenizerFormatException(file, lineNo, "rank " + rank + " given twice");
                byRank.set(rank, token);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            // the reader decodes ahead of the lines it returns, so the bad bytes are at or after the next line
            throw new TokenizerFormatException(file, "not valid UTF-8 at or after line " + (lineNo + 1), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tiktoken rank file " + file, e);
        }
        if (byRank.isEmpty()) throw new TokenizerFormatException(file, 0, "no tokens");
        return byRank.toArray(new byte[0][]);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
