package ai.tarka.tracking.hpo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter importance as each parameter's first-order share of the objective's variance (a binned main-effect
 * estimate, the first term of fANOVA): group complete trials by the parameter (categories, or up to four
 * quantile bins of numeric values, on a log scale when the values span more than two decades), take the
 * variance of the group means weighted by group size, divide by the total variance, and normalise so the
 * shares sum to 1. Interactions are ignored; with few trials the estimate is rough.
 */
public final class ParamImportance {
    private ParamImportance() {
    }

    /** @param params one map per complete trial (values as text), @param values their objective values */
    public static Map<String, Double> compute(List<Map<String, String>> params, List<Double> values) {
        Map<String, Double> raw = new LinkedHashMap<>();
        int n = values.size();
        if (n < 2) return raw;
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double total = 0;
        for (double v : values) total += (v - mean) * (v - mean);
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        params.forEach(p -> names.addAll(p.keySet()));
        for (String name : names) {
            int[] bin = bins(params, name);
            Map<Integer, double[]> groups = new HashMap<>(); // bin -> {sum, count}
            for (int i = 0; i < n; i++) {
                double[] g = groups.computeIfAbsent(bin[i], k -> new double[2]);
                g[0] += values.get(i);
                g[1]++;
            }
            double between = 0;
            for (double[] g : groups.values()) {
                double m = g[0] / g[1];
                between += g[1] * (m - mean) * (m - mean);
            }
            raw.put(name, total > 0 ? between / total : 0);
        }
        double sum = raw.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(raw.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : sorted) out.put(e.getKey(), sum > 0 ? e.getValue() / sum : 0.0);
        return out;
    }

    private static int[] bins(List<Map<String, String>> params, String name) {
        int n = params.size();
        double[] x = new double[n];
        boolean numeric = true;
        for (int i = 0; i < n; i++) {
            String s = params.get(i).get(name);
            try {
                x[i] = s == null ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        int[] out = new int[n];
        if (!numeric) {
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < n; i++) out[i] = ids.computeIfAbsent(String.valueOf(params.get(i).get(name)), k -> ids.size());
            return out;
        }
        double min = java.util.Arrays.stream(x).filter(v -> !Double.isNaN(v)).min().orElse(0);
        double max = java.util.Arrays.stream(x).filter(v -> !Double.isNaN(v)).max().orElse(0);
        boolean log = min > 0 && max / min > 100;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = log ? Math.log(x[i]) : x[i];
        double[] sorted = java.util.Arrays.stream(t).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int nb = Math.max(1, Math.min(4, sorted.length / 3));
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(t[i])) {
                out[i] = -1;
                continue;
            }
            int b = 0;
            for (int k = 1; k < nb; k++) if (t[i] > sorted[(int) ((long) k * sorted.length / nb) - 1]) b = k;
            out[i] = b;
        }
        return out;
    }
}
