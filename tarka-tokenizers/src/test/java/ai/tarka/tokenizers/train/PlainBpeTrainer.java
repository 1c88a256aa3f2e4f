package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test reference: recounts every pair from scratch before each merge, one plain loop at a time. */
final class PlainBpeTrainer {
    private PlainBpeTrainer() {}

    static List<String> merges(String text, Pattern preTokenizer, int budget, long minFrequency) {
        Map<String, Long> wordCounts = new HashMap<>();
        Matcher m = preTokenizer.matcher(text);
        while (m.find()) wordCounts.merge(m.group(), 1L, Long::sum);
        List<List<byte[]>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (var e : wordCounts.entrySet()) {
            List<byte[]> symbols = new ArrayList<>();
            for (byte b : e.getKey().getBytes(StandardCharsets.UTF_8)) symbols.add(new byte[] {b});
            words.add(symbols);
            counts.add(e.getValue());
        }
        List<String> merges = new ArrayList<>();
        while (merges.size() < budget) {
            Map<String, Long> pairCounts = new HashMap<>();
            Map<String, byte[][]> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<byte[]> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    String key = ByteUnicodeTable.encode(s.get(i)) + " " + ByteUnicodeTable.encode(s.get(i + 1));
                    pairCounts.merge(key, counts.get(w), Long::sum);
                    pairs.put(key, new byte[][] {s.get(i), s.get(i + 1)});
                }
            }
            String best = null;
            for (String key : pairCounts.keySet()) {
                if (best == null || isAbove(pairCounts.get(key), pairs.get(key), pairCounts.get(best), pairs.get(best))) best = key;
            }
            if (best == null || pairCounts.get(best) < minFrequency) break;
            merges.add(best);
            byte[] a = pairs.get(best)[0];
            byte[] b = pairs.get(best)[1];
            for (List<byte[]> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (Arrays.equals(s.get(i), a) && Arrays.equals(s.get(i + 1), b)) {
                        byte[] ab = Arrays.copyOf(a, a.length + b.length);
                        System.arraycopy(b, 0, ab, a.length, b.length);
                        s.set(i, ab);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }

    private static boolean isAbove(long count, byte[][] pair, long otherCount, byte[][] other) {
        if (count != otherCount) return count > otherCount;
        int cmp = Arrays.compareUnsigned(pair[0], other[0]);
        if (cmp == 0) cmp = Arrays.compareUnsigned(pair[1], other[1]);
        return cmp > 0;
    }
}
