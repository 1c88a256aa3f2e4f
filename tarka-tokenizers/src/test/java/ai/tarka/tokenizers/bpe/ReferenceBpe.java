package ai.tarka.tokenizers.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain reference of tiktoken's algorithm over byte strings: split by the regex; a piece that is a whole token is that
 * token; otherwise repeatedly merge the leftmost adjacent pair whose concatenation has the lowest rank.
 */
final class ReferenceBpe {
    private final Map<String, Integer> ranks = new HashMap<>(); // key: bytes as ISO-8859-1 string
    private final Pattern pattern;

    ReferenceBpe(ByteLevelBpe bpe, int ordinaryTokens, Pattern pattern) {
        this.pattern = pattern;
        for (int id = 0; id < ordinaryTokens; id++) {
            try {
                ranks.putIfAbsent(key(bpe.tokenBytes(id)), id);
            } catch (IllegalArgumentException unused) {
                // gaps in the id space
            }
        }
    }

    private static String key(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    int[] encodeOrdinary(String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = pattern.matcher(ByteLevelBpe.replaceLoneSurrogates(text));
        while (m.find()) {
            byte[] piece = m.group().getBytes(StandardCharsets.UTF_8);
            Integer whole = ranks.get(key(piece));
            if (whole != null) {
                out.add(whole);
                continue;
            }
            List<byte[]> parts = new ArrayList<>();
            for (byte b : piece) parts.add(new byte[] {b});
            while (parts.size() > 1) {
                int best = Integer.MAX_VALUE, at = -1;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer r = ranks.get(key(concat(parts.get(i), parts.get(i + 1))));
                    if (r != null && r < best) {
                        best = r;
                        at = i;
                    }
                }
                if (at < 0) break;
                parts.set(at, concat(parts.get(at), parts.remove(at + 1)));
            }
            for (byte[] p : parts) out.add(ranks.get(key(p)));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
