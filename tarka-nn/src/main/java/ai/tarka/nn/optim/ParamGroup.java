package ai.tarka.nn.optim;

import ai.tarka.nn.NamePattern;
import ai.tarka.nn.ParameterBuffer.Slot;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Parameters that get their own weight decay and learning-rate multiplier. An optimiser assigns
 * each trainable parameter to the first group whose selector accepts it, else to its default
 * group (the optimiser's weight decay, multiplier 1).
 */
public record ParamGroup(String label, Predicate<Slot> selects, double weightDecay, double lrScale) {

    public ParamGroup {
        if (label == null || label.isEmpty()) throw new IllegalArgumentException("ParamGroup: empty label");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("ParamGroup " + label + ": weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(lrScale >= 0) || Double.isInfinite(lrScale)) {
            throw new IllegalArgumentException("ParamGroup " + label + ": lrScale must be finite and >= 0, got " + lrScale);
        }
    }

    /** Parameters whose full name passes {@code names}. */
    public static ParamGroup byName(String label, Predicate<String> names, double weightDecay) {
        return new ParamGroup(label, s -> names.test(s.name()), weightDecay, 1.0);
    }

    /** Parameters matched by any of the {@link NamePattern} globs, e.g. {@code "*.bias", "*norm*"}. */
    public static ParamGroup byPattern(String label, double weightDecay, String... globs) {
        List<NamePattern> patterns = Arrays.stream(globs).map(NamePattern::of).toList();
        return new ParamGroup(label, s -> patterns.stream().anyMatch(p -> p.matches(s.name())), weightDecay, 1.0);
    }

    /**
     * The usual GPT recipe: no weight decay on parameters of rank below 2 (biases, norm scales),
     * which the name alone does not always reveal.
     */
    public static ParamGroup noDecayBelowRank2() {
        return new ParamGroup("no_decay", s -> s.rank() < 2, 0.0, 1.0);
    }

    public ParamGroup withLrScale(double scale) {
        return new ParamGroup(label, selects, weightDecay, scale);
    }
}
