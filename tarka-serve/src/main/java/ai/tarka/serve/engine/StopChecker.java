package ai.tarka.serve.engine;

import ai.tarka.tokenizers.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Detokenises a sequence's output incrementally and watches for stop strings. Text that might be the start of a stop
 * string, or ends in an incomplete UTF-8 character, is held back until it is decided.
 */
final class StopChecker {
    private final TextTokenizer tokenizer;
    private final List<String> stops;
    private final int holdBack;
    private int[] ids = new int[16];
    private int count;
    private int emitted;
    private String text = "";
    private boolean stopped;

    StopChecker(TextTokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = stops;
        int longest = 0;
        for (String s : stops) longest = Math.max(longest, s.length());
        holdBack = Math.max(0, longest - 1);
    }

    /** Adds a token; returns the text now safe to emit. After a stop string, {@link #stopped()} is true. */
    String accept(int token) {
        if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
        ids[count++] = token;
        text = tokenizer.decode(Arrays.copyOf(ids, count));
        int searchFrom = Math.max(0, emitted - holdBack);
        int cut = -1;
        for (String s : stops) {
            if (s.isEmpty()) continue;
            int at = text.indexOf(s, searchFrom);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            stopped = true;
            text = text.substring(0, cut);
            return take(text.length());
        }
        int safe = text.length() - holdBack;
        // an incomplete UTF-8 character decodes as U+FFFD; wait for the rest of it
        while (safe > emitted && text.charAt(safe - 1) == '\uFFFD') safe--;
        return take(safe);
    }

    /** Everything not yet emitted (when the sequence ends for another reason). */
    String flush() {
        return take(text.length());
    }

    private String take(int upTo) {
        if (upTo <= emitted) return "";
        String out = text.substring(emitted, upTo);
        emitted = upTo;
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    String text() {
        return text;
    }
}
