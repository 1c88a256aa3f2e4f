package ai.tarka.serve.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (test only): every line must be a HELP, TYPE or
 * sample line; metric and label names must match the format's grammar; label values must be properly escaped; values
 * must be floats; each sample must belong to the family its TYPE declared (with _bucket/_sum/_count for histograms);
 * histogram buckets must be cumulative and end in {@code le="+Inf"} equal to {@code _count}.
 */
final class PrometheusTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?)");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        if (!text.endsWith("\n")) throw new IllegalArgumentException("exposition must end with a newline");
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                name(parts[0], lineNo);
                current = families.computeIfAbsent(parts[0], n -> new Family(n, null, null, new ArrayList<>()));
                current = new Family(current.name(), current.type(), parts.length > 1 ? parts[1] : "", current.samples());
                families.put(current.name(), current);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2) throw new IllegalArgumentException("line " + lineNo + ": bad TYPE line: " + line);
                name(parts[0], lineNo);
                if (!List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1])) {
                    throw new IllegalArgumentException("line " + lineNo + ": unknown type " + parts[1]);
                }
                Family f = families.get(parts[0]);
                if (f != null && (f.type() != null || !f.samples().isEmpty())) {
                    throw new IllegalArgumentException("line " + lineNo + ": TYPE for " + parts[0] + " after its samples or twice");
                }
                current = new Family(parts[0], parts[1], f == null ? null : f.help(), new ArrayList<>());
                families.put(parts[0], current);
            } else if (line.startsWith("#")) {
                continue;   // a comment
            } else {
                Sample s = sample(line, lineNo);
                if (current == null || !belongs(s.name(), current)) {
                    throw new IllegalArgumentException("line " + lineNo + ": sample " + s.name() + " outside its family");
                }
                current.samples().add(s);
            }
        }
        for (Family f : families.values()) if ("histogram".equals(f.type())) checkHistogram(f);
        return families;
    }

    private static boolean belongs(String sample, Family f) {
        if (sample.equals(f.name())) return !"histogram".equals(f.type());
        if ("histogram".equals(f.type())) {
            return sample.equals(f.name() + "_bucket") || sample.equals(f.name() + "_sum") || sample.equals(f.name() + "_count");
        }
        return false;
    }

    private static void name(String n, int lineNo) {
        if (!NAME.matcher(n).matches()) throw new IllegalArgumentException("line " + lineNo + ": bad metric name '" + n + "'");
    }

    private static Sample sample(String line, int lineNo) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        name(name, lineNo);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches()) throw new IllegalArgumentException("line " + lineNo + ": bad label " + label);
                if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("line " + lineNo + ": unquoted label value");
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        if (e == 'n') v.append('\n');
                        else if (e == '\\' || e == '"') v.append(e);
                        else throw new IllegalArgumentException("line " + lineNo + ": bad escape \\" + e);
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) throw new IllegalArgumentException("line " + lineNo + ": label twice");
                i = j + 1;
                if (line.charAt(i) == ',') i++;
                else if (line.charAt(i) != '}') throw new IllegalArgumentException("line " + lineNo + ": expected , or }");
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException("line " + lineNo + ": no value");
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) throw new IllegalArgumentException("line " + lineNo + ": too many fields");
        Matcher m = VALUE.matcher(rest[0]);
        if (!m.matches()) throw new IllegalArgumentException("line " + lineNo + ": bad value " + rest[0]);
        double v = rest[0].endsWith("Inf") ? (rest[0].startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(rest[0]);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) throw new IllegalArgumentException("line " + lineNo + ": bad timestamp");
        return new Sample(name, labels, v);
    }

    private static void checkHistogram(Family f) {
        double last = -1;
        double inf = -1, count = -1;
        boolean sum = false;
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                String le = s.labels().get("le");
                if (le == null) throw new IllegalArgumentException(f.name() + ": bucket without le");
                if (s.value() < last) throw new IllegalArgumentException(f.name() + ": buckets not cumulative at le=" + le);
                last = s.value();
                if (le.equals("+Inf")) inf = s.value();
            } else if (s.name().endsWith("_count")) {
                count = s.value();
            } else {
                sum = true;
            }
        }
        if (inf < 0 || count < 0 || !sum || inf != count) {
            throw new IllegalArgumentException(f.name() + ": histogram needs le=\"+Inf\" equal to _count, and _sum");
        }
    }
}
