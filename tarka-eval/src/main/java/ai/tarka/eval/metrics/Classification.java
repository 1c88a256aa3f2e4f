package ai.tarka.eval.metrics;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Classification metrics over gold and predicted labels, with scikit-learn's definitions: precision/recall/F1 for
 * one positive label ({@code binary}), unweighted mean over labels ({@code macro}, labels present in gold or
 * predictions; an undefined ratio counts 0) or from pooled counts ({@code micro}); Matthews correlation in its
 * multi-class form (equal to the phi coefficient for two labels; 0 when undefined).
 */
public final class Classification {
    private Classification() {}

    public enum Average { BINARY, MACRO, MICRO }

    public record Prf(double precision, double recall, double f1) {}

    public static double accuracy(List<String> gold, List<String> pred) {
        check(gold, pred);
        if (gold.isEmpty()) return 0;
        int hit = 0;
        for (int i = 0; i < gold.size(); i++) if (Objects.equals(gold.get(i), pred.get(i))) hit++;
        return (double) hit / gold.size();
    }

    /** Exact string match rate, optionally ignoring surrounding whitespace and case. */
    public static double exactMatch(List<String> gold, List<String> pred, boolean ignoreCaseAndSpace) {
        check(gold, pred);
        if (gold.isEmpty()) return 0;
        int hit = 0;
        for (int i = 0; i < gold.size(); i++) {
            String g = gold.get(i), p = pred.get(i);
            boolean eq = ignoreCaseAndSpace ? g.strip().equalsIgnoreCase(p.strip()) : g.equals(p);
            if (eq) hit++;
        }
        return (double) hit / gold.size();
    }

    /** {@code positive} is used only for {@link Average#BINARY}. */
    public static Prf prf(List<String> gold, List<String> pred, Average average, String positive) {
        check(gold, pred);
        return switch (average) {
            case BINARY -> forLabel(gold, pred, positive);
            case MICRO -> {
                // every wrong prediction is one false positive and one false negative, so P = R = accuracy
                double acc = accuracy(gold, pred);
                yield new Prf(acc, acc, acc);
            }
            case MACRO -> {
                TreeSet<String> labels = new TreeSet<>(gold);
                labels.addAll(pred);
                double p = 0, r = 0, f = 0;
                for (String l : labels) {
                    Prf x = forLabel(gold, pred, l);
                    p += x.precision;
                    r += x.recall;
                    f += x.f1;
                }
                int k = Math.max(labels.size(), 1);
                yield new Prf(p / k, r / k, f / k);
            }
        };
    }

    private static Prf forLabel(List<String> gold, List<String> pred, String label) {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < gold.size(); i++) {
            boolean g = label.equals(gold.get(i)), p = label.equals(pred.get(i));
            if (g && p) tp++;
            else if (p) fp++;
            else if (g) fn++;
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Prf(precision, recall, f1);
    }

    /** Matthews correlation coefficient (Gorodkin's multi-class form, as scikit-learn). */
    public static double matthews(List<String> gold, List<String> pred) {
        check(gold, pred);
        TreeSet<String> labelSet = new TreeSet<>(gold);
        labelSet.addAll(pred);
        List<String> labels = List.copyOf(labelSet);
        int k = labels.size();
        long[][] c = new long[k][k];
        for (int i = 0; i < gold.size(); i++) c[labels.indexOf(gold.get(i))][labels.indexOf(pred.get(i))]++;
        double s = gold.size(), correct = 0;
        double[] t = new double[k], p = new double[k];
        for (int i = 0; i < k; i++) {
            correct += c[i][i];
            for (int j = 0; j < k; j++) {
                t[i] += c[i][j];
                p[j] += c[i][j];
            }
        }
        double tp = 0, pp = 0, tt = 0;
        for (int i = 0; i < k; i++) {
            tp += t[i] * p[i];
            pp += p[i] * p[i];
            tt += t[i] * t[i];
        }
        double denom = Math.sqrt((s * s - pp) * (s * s - tt));
        return denom == 0 ? 0.0 : (correct * s - tp) / denom;
    }

    private static void check(List<String> gold, List<String> pred) {
        if (gold.size() != pred.size())
            throw new IllegalArgumentException("classification metrics: " + gold.size() + " gold labels but " + pred.size() + " predictions");
    }
}
