package ai.tarka.inference;

import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could still be the start of a stop string is held back until the
 * next piece shows whether it is, so nothing after a stop string is ever released.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops;
    }

    boolean stopped() {
        return stopped;
    }

    /** Adds text; returns what may be released now. */
    String accept(String text) {
        if (stops.isEmpty()) return text;
        pending.append(text);
        int first = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        if (first >= 0) {
            stopped = true;
            String out = pending.substring(0, first);
            pending.setLength(0);
            return out;
        }
        int hold = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, pending.length()); k > hold; k--) {
                if (pending.toString().regionMatches(pending.length() - k, s, 0, k)) {
                    hold = k;
                    break;
                }
            }
        }
        String out = pending.substring(0, pending.length() - hold);
        pending.delete(0, pending.length() - hold);
        return out;
    }

    /** The held-back text at the end of generation. */
    String finish() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }
}
