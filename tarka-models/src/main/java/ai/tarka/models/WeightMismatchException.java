package ai.tarka.models;

import java.util.List;

/**
 * Weights that do not fit a model: the message names the source and lists every missing tensor, unexpected tensor
 * and shape mismatch (tensor, expected shape, actual shape).
 */
public final class WeightMismatchException extends RuntimeException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> shapeMismatches;

    public WeightMismatchException(String source, List<String> missing, List<String> unexpected, List<String> shapeMismatches) {
        super(message(source, missing, unexpected, shapeMismatches));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.shapeMismatches = List.copyOf(shapeMismatches);
    }

    private static String message(String source, List<String> missing, List<String> unexpected, List<String> shapes) {
        StringBuilder sb = new StringBuilder(source).append(": weights do not fit the model");
        if (!shapes.isEmpty()) sb.append("; shape mismatches: ").append(String.join("; ", shapes));
        if (!missing.isEmpty()) sb.append("; missing tensors: ").append(String.join(", ", missing));
        if (!unexpected.isEmpty()) sb.append("; unexpected tensors: ").append(String.join(", ", unexpected));
        return sb.toString();
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> unexpected() {
        return unexpected;
    }

    /** Entries of the form {@code name: expected [..], got [..]}. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }
}
