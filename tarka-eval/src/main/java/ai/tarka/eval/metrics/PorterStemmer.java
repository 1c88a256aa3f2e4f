package ai.tarka.eval.metrics;

import java.util.Map;
import java.util.function.Predicate;

/**
 * The Porter stemmer in the behaviour of NLTK's {@code PorterStemmer} in its default {@code NLTK_EXTENSIONS} mode
 * (the stemmer rouge-score uses): Porter's five steps plus NLTK's departures — a table of irregular forms, words of
 * up to two letters left alone, "ies"/"ied" on four-letter words kept as "ie", "y"→"i" only after a consonant that
 * is not the first letter, "alli" handled before "bli", and the extra "fulli" and "logi" rules. Thread-safe.
 */
public final class PorterStemmer {

    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("skies", "sky"), Map.entry("sky", "sky"), Map.entry("dying", "die"), Map.entry("lying", "lie"),
            Map.entry("tying", "tie"), Map.entry("news", "news"), Map.entry("innings", "inning"),
            Map.entry("inning", "inning"), Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"), Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    /** A suffix rule: when the word ends with {@code suffix}, the rest (the stem) must pass {@code condition}. */
    private record Rule(String suffix, String replacement, Predicate<String> condition) {}

    /** The stem of {@code word}, lowercased first. */
    public String stem(String word) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        String irregular = IRREGULAR.get(w);
        if (irregular != null) return irregular;
        if (w.length() <= 2) return w;
        w = step1a(w);
        w = step1b(w);
        w = step1c(w);
        w = step2(w);
        w = step3(w);
        w = step4(w);
        w = step5a(w);
        w = step5b(w);
        return w;
    }

    static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return false;
        if (c == 'y') return i == 0 || !isConsonant(w, i - 1);
        return true;
    }

    /** Porter's m: the number of vowel-run-then-consonant-run pairs. */
    static int measure(String stem) {
        int m = 0;
        boolean prevVowel = false;
        for (int i = 0; i < stem.length(); i++) {
            boolean vowel = !isConsonant(stem, i);
            if (prevVowel && !vowel) m++;
            prevVowel = vowel;
        }
        return m;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) if (!isConsonant(stem, i)) return true;
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    /** *o: consonant-vowel-consonant with the last not w, x or y; NLTK also counts a two-letter vowel-consonant word. */
    private static boolean endsCvc(String w) {
        int n = w.length();
        if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)
                && "wxy".indexOf(w.charAt(n - 1)) < 0) return true;
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1);
    }

    private static String cut(String w, String suffix) {
        return w.substring(0, w.length() - suffix.length());
    }

    /** The first rule whose suffix matches decides: applied if its condition holds, else the word stays. */
    private static String applyRules(String w, Rule... rules) {
        for (Rule r : rules) {
            if (r.suffix.equals("*d")) {
                if (endsDoubleConsonant(w)) {
                    String stem = w.substring(0, w.length() - 2);
                    return r.condition == null || r.condition.test(stem) ? stem + r.replacement : w;
                }
                continue;
            }
            if (w.endsWith(r.suffix)) {
                String stem = cut(w, r.suffix);
                return r.condition == null || r.condition.test(stem) ? stem + r.replacement : w;
            }
        }
        return w;
    }

    private static final Predicate<String> POSITIVE_MEASURE = s -> measure(s) > 0;
    private static final Predicate<String> MEASURE_ABOVE_ONE = s -> measure(s) > 1;

    private static String step1a(String w) {
        if (w.endsWith("ies") && w.length() == 4) return cut(w, "ies") + "ie";
        return applyRules(w, new Rule("sses", "ss", null), new Rule("ies", "i", null), new Rule("ss", "ss", null),
                new Rule("s", "", null));
    }

    private static String step1b(String w) {
        if (w.endsWith("ied")) return cut(w, "ied") + (w.length() == 4 ? "ie" : "i");
        if (w.endsWith("eed")) {
            String stem = cut(w, "eed");
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String stem = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (w.endsWith(suffix) && containsVowel(cut(w, suffix))) {
                stem = cut(w, suffix);
                break;
            }
        }
        if (stem == null) return w;
        char last = stem.charAt(stem.length() - 1);
        String lastLetter = String.valueOf(last);
        return applyRules(stem, new Rule("at", "ate", null), new Rule("bl", "ble", null), new Rule("iz", "ize", null),
                new Rule("*d", lastLetter, s -> last != 'l' && last != 's' && last != 'z'),
                new Rule("", "e", s -> measure(s) == 1 && endsCvc(s)));
    }

    private static String step1c(String w) {
        return applyRules(w, new Rule("y", "i", s -> s.length() > 1 && isConsonant(s, s.length() - 1)));
    }

    private static String step2(String w) {
        if (w.endsWith("alli") && measure(cut(w, "alli")) > 0) return step2(cut(w, "alli") + "al");
        String whole = w;
        return applyRules(w,
                new Rule("ational", "ate", POSITIVE_MEASURE), new Rule("tional", "tion", POSITIVE_MEASURE),
                new Rule("enci", "ence", POSITIVE_MEASURE), new Rule("anci", "ance", POSITIVE_MEASURE),
                new Rule("izer", "ize", POSITIVE_MEASURE), new Rule("bli", "ble", POSITIVE_MEASURE),
                new Rule("alli", "al", POSITIVE_MEASURE), new Rule("entli", "ent", POSITIVE_MEASURE),
                new Rule("eli", "e", POSITIVE_MEASURE), new Rule("ousli", "ous", POSITIVE_MEASURE),
                new Rule("ization", "ize", POSITIVE_MEASURE), new Rule("ation", "ate", POSITIVE_MEASURE),
                new Rule("ator", "ate", POSITIVE_MEASURE), new Rule("alism", "al", POSITIVE_MEASURE),
                new Rule("iveness", "ive", POSITIVE_MEASURE), new Rule("fulness", "ful", POSITIVE_MEASURE),
                new Rule("ousness", "ous", POSITIVE_MEASURE), new Rule("aliti", "al", POSITIVE_MEASURE),
                new Rule("iviti", "ive", POSITIVE_MEASURE), new Rule("biliti", "ble", POSITIVE_MEASURE),
                new Rule("fulli", "ful", POSITIVE_MEASURE),
                // the "l" stays with the stem so short stems (geo-, theo-) are measured like long ones
                new Rule("logi", "log", s -> measure(whole.substring(0, whole.length() - 3)) > 0));
    }

    private static String step3(String w) {
        return applyRules(w, new Rule("icate", "ic", POSITIVE_MEASURE), new Rule("ative", "", POSITIVE_MEASURE),
                new Rule("alize", "al", POSITIVE_MEASURE), new Rule("iciti", "ic", POSITIVE_MEASURE),
                new Rule("ical", "ic", POSITIVE_MEASURE), new Rule("ful", "", POSITIVE_MEASURE),
                new Rule("ness", "", POSITIVE_MEASURE));
    }

    private static String step4(String w) {
        return applyRules(w, new Rule("al", "", MEASURE_ABOVE_ONE), new Rule("ance", "", MEASURE_ABOVE_ONE),
                new Rule("ence", "", MEASURE_ABOVE_ONE), new Rule("er", "", MEASURE_ABOVE_ONE),
                new Rule("ic", "", MEASURE_ABOVE_ONE), new Rule("able", "", MEASURE_ABOVE_ONE),
                new Rule("ible", "", MEASURE_ABOVE_ONE), new Rule("ant", "", MEASURE_ABOVE_ONE),
                new Rule("ement", "", MEASURE_ABOVE_ONE), new Rule("ment", "", MEASURE_ABOVE_ONE),
                new Rule("ent", "", MEASURE_ABOVE_ONE),
                new Rule("ion", "", s -> measure(s) > 1 && !s.isEmpty() && (s.endsWith("s") || s.endsWith("t"))),
                new Rule("ou", "", MEASURE_ABOVE_ONE), new Rule("ism", "", MEASURE_ABOVE_ONE),
                new Rule("ate", "", MEASURE_ABOVE_ONE), new Rule("iti", "", MEASURE_ABOVE_ONE),
                new Rule("ous", "", MEASURE_ABOVE_ONE), new Rule("ive", "", MEASURE_ABOVE_ONE),
                new Rule("ize", "", MEASURE_ABOVE_ONE));
    }

    private static String step5a(String w) {
        if (w.endsWith("e")) {
            String stem = cut(w, "e");
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) return stem;
        }
        return w;
    }

    private static String step5b(String w) {
        return applyRules(w, new Rule("ll", "l", s -> measure(w.substring(0, w.length() - 1)) > 1));
    }
}
