package ai.tarka.cli.chat;

import java.util.List;

/**
 * Cuts streamed text at the first stop string. Text that may be the start of a stop string is held back until the
 * next piece decides it, so nothing of a stop string is ever shown.
 */
final class StopText {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopText(List<String> stops) {
        this.stops = stops;
    }

    boolean stopped() {
        return stopped;
    }

    /** Adds a piece; returns what may be shown now. */
    String accept(String piece) {
        if (stopped) return "";
        if (stops.isEmpty()) return piece;
        held.append(piece);
        int cut = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            stopped = true;
            String out = held.substring(0, cut);
            held.setLength(0);
            return out;
        }
        int keep = 0;
        for (String s : stops) keep = Math.max(keep, partialSuffix(s));
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Whatever is still held back (the answer ended without a stop string). */
    String finish() {
        String out = stopped ? "" : held.toString();
        held.setLength(0);
        return out;
    }

    /** The longest end of the held text that is a proper start of {@code stop}. */
    private int partialSuffix(String stop) {
        for (int len = Math.min(stop.length() - 1, held.length()); len > 0; len--) {
            if (endsWithStartOf(stop, len)) return len;
        }
        return 0;
    }

    private boolean endsWithStartOf(String stop, int len) {
        int from = held.length() - len;
        for (int i = 0; i < len; i++) if (held.charAt(from + i) != stop.charAt(i)) return false;
        return true;
    }
}
