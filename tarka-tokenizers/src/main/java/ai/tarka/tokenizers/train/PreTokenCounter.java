package ai.tarka.tokenizers.train;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text on special tokens, pre-tokenizes each piece and counts the distinct pre-tokens, on
 * several threads. Each thread counts a contiguous run of work units into its own map; the maps are
 * added in thread order and the result sorted, so the counts never depend on the thread count.
 */
final class PreTokenCounter {
    private PreTokenCounter() {}

    /** Smallest work unit worth its own regex scan. */
    private static final int MIN_UNIT_CHARS = 4096;

    /** A range of the text whose pre-tokens one unit counts; the regex may look ahead up to {@code pieceEnd}. */
    private record Unit(int start, int end, int pieceEnd) {}

    static PreTokenCounts count(String text, BpeTrainerOptions options) {
        List<Unit> units = units(text, options);
        int threads = Math.min(options.countingThreads(), units.size());
        List<HashMap<String, long[]>> partials = new ArrayList<>();
        if (threads <= 1) {
            partials.add(countUnits(text, options.preTokenizer(), units));
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<HashMap<String, long[]>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<Unit> mine = units.subList((int) ((long) t * units.size() / threads),
                            (int) ((long) (t + 1) * units.size() / threads));
                    futures.add(pool.submit(() -> countUnits(text, options.preTokenizer(), mine)));
                }
                for (Future<HashMap<String, long[]>> f : futures) partials.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("BPE training: pre-token counting interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("BPE training: pre-token counting failed", e.getCause());
            }
        }
        HashMap<String, long[]> total = partials.getFirst();
        for (int i = 1; i < partials.size(); i++) {
            for (var e : partials.get(i).entrySet()) {
                long[] c = total.get(e.getKey());
                if (c == null) total.put(e.getKey(), e.getValue());
                else c[0] += e.getValue()[0];
            }
        }
        List<String> keys = new ArrayList<>(total.keySet());
        keys.sort(Comparator.naturalOrder());
        byte[][] words = new byte[keys.size()][];
        long[] counts = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            words[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
            counts[i] = total.get(keys.get(i))[0];
        }
        return new PreTokenCounts(words, counts);
    }

    private static HashMap<String, long[]> countUnits(String text, Pattern pattern, List<Unit> units) {
        HashMap<String, long[]> counts = new HashMap<>();
        Matcher m = pattern.matcher(text);
        for (Unit u : units) {
            // Opaque region bounds: the regex sees the piece as a whole string, as if split out of the text.
            m.region(u.start(), u.pieceEnd());
            while (m.find() && m.start() < u.end()) {
                long[] c = counts.get(m.group());
                if (c == null) counts.put(m.group(), new long[] {1});
                else c[0]++;
            }
        }
        return counts;
    }

    /** The pieces between special tokens, long pieces cut further where the pre-tokenization cannot change. */
    private static List<Unit> units(String text, BpeTrainerOptions options) {
        int target = Math.max(MIN_UNIT_CHARS, text.length() / Math.max(1, 4 * options.countingThreads()));
        boolean cuttable = options.preTokenizer().pattern().equals(PreTokenizerPatterns.GPT2);
        List<Unit> units = new ArrayList<>();
        int pieceStart = 0;
        Matcher special = specialTokenMatcher(text, options.specialTokens());
        while (true) {
            boolean found = special != null && special.find();
            int pieceEnd = found ? special.start() : text.length();
            if (pieceEnd > pieceStart) addPiece(text, pieceStart, pieceEnd, cuttable ? target : Integer.MAX_VALUE, units);
            if (!found) break;
            pieceStart = special.end();
        }
        return units;
    }

    private static void addPiece(String text, int start, int end, int target, List<Unit> units) {
        int s = start;
        while (end - s > target) {
            int cut = s + target;
            while (cut < end && !isSafeCut(text, cut)) cut++;
            if (cut >= end) break;
            units.add(new Unit(s, cut, end));
            s = cut;
        }
        units.add(new Unit(s, end, end));
    }

    /**
     * A newline followed by a letter or digit: under the GPT-2 pattern no match spans it (only a plain
     * space can prefix a word, and whitespace runs never take in a letter), so a match always starts there.
     */
    private static boolean isSafeCut(String text, int i) {
        return text.charAt(i - 1) == '\n' && Character.isLetterOrDigit(text.charAt(i));
    }

    private static Matcher specialTokenMatcher(String text, List<String> specials) {
        if (specials.isEmpty()) return null;
        // Longest first, so that a special token containing another one wins.
        List<String> sorted = new ArrayList<>(specials);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alternation = new StringBuilder();
        for (String s : sorted) {
            if (!alternation.isEmpty()) alternation.append('|');
            alternation.append(Pattern.quote(s));
        }
        return Pattern.compile(alternation.toString()).matcher(text);
    }
}
