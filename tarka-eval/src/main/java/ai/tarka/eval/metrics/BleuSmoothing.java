package ai.tarka.eval.metrics;

/** sacreBLEU's smoothing methods with their default values (null: the method takes no value). */
public enum BleuSmoothing {
    NONE("none", null),
    FLOOR("floor", 0.1),
    ADD_K("add-k", 1.0),
    EXP("exp", null);

    private final String signature;
    private final Double defaultValue;

    BleuSmoothing(String signature, Double defaultValue) {
        this.signature = signature;
        this.defaultValue = defaultValue;
    }

    public String signature() {
        return signature;
    }

    public Double defaultValue() {
        return defaultValue;
    }

    public static BleuSmoothing named(String name) {
        for (BleuSmoothing s : values()) if (s.signature.equals(name)) return s;
        throw new IllegalArgumentException("BLEU: unknown smoothing '" + name + "' (none, floor, add-k, exp)");
    }
}
