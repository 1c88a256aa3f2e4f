package ai.tarka.eval.lm;

import java.util.List;

/** Where generated text must be cut: the earliest occurrence of any stop sequence. */
public final class StopSequences {
    private StopSequences() {}

    /** Index of the earliest stop sequence in {@code text}, or -1. Empty stop strings are ignored. */
    public static int firstStop(String text, List<String> until) {
        int best = -1;
        for (String s : until) {
            if (s.isEmpty()) continue;
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }
}
