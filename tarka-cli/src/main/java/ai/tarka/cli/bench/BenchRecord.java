package ai.tarka.cli.bench;

/**
 * One benchmark figure. Where it is compared with something measured in the same run,
 * {@code baselineName}/{@code baselineValue} name the peer and {@code ratio = value / baselineValue}.
 */
public record BenchRecord(String name, double value, String unit,
                          String baselineName, Double baselineValue, Double ratio) {

    public static BenchRecord of(String name, double value, String unit) {
        return new BenchRecord(name, value, unit, null, null, null);
    }

    public static BenchRecord compared(String name, double value, String unit, String baselineName, double baselineValue) {
        return new BenchRecord(name, value, unit, baselineName, baselineValue,
                baselineValue == 0 ? null : value / baselineValue);
    }
}
