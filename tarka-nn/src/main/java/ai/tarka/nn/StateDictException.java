package ai.tarka.nn;

import java.util.List;

/**
 * A state dict that does not fit a module: lists every missing key, unexpected key and shape
 * mismatch at once, so one failed load shows the whole difference.
 */
public final class StateDictException extends IllegalArgumentException {
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<String> shapeMismatches;

    public StateDictException(String module, List<String> missingKeys, List<String> unexpectedKeys,
                              List<String> shapeMismatches) {
        super(format(module, missingKeys, unexpectedKeys, shapeMismatches));
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
        this.shapeMismatches = List.copyOf(shapeMismatches);
    }

    public List<String> missingKeys() {
        return missingKeys;
    }

    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** One entry per mismatch: {@code name: state dict [a, b] vs module [c, d]}. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }

    private static String format(String module, List<String> missing, List<String> unexpected, List<String> shapes) {
        StringBuilder sb = new StringBuilder("loadStateDict into ").append(module).append(": ")
                .append(count(missing.size(), "missing key")).append(", ")
                .append(count(unexpected.size(), "unexpected key")).append(", ")
                .append(count(shapes.size(), "shape mismatch"));
        if (!missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
        if (!unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
        for (String s : shapes) sb.append("\n  shape mismatch: ").append(s);
        return sb.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : what.endsWith("h") ? "es" : "s");
    }
}
