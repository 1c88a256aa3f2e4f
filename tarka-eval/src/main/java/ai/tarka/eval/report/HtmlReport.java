package ai.tarka.eval.report;

import ai.tarka.eval.harness.EvalRun;
import ai.tarka.eval.harness.MetricResult;
import ai.tarka.eval.harness.ModelResults;
import ai.tarka.eval.harness.TaskResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A self-contained HTML benchmark report: a results table, one bar chart per task (its headline metric, the first
 * in the task's metric list), a radar chart across tasks, and each model's latency and throughput. Apache ECharts
 * (from the {@code org.webjars.npm:echarts} webjar) is inlined, so the file opens offline. The radar plots each
 * task's headline relative to the best model on it (1 = best; for perplexity-like metrics best/value), because the
 * tasks' scales differ.
 */
public final class HtmlReport {
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    public static String render(String title, List<ModelResults> models, String configText) {
        Set<String> taskNames = new LinkedHashSet<>();
        for (ModelResults m : models) for (TaskResult t : m.tasks()) taskNames.add(t.task());
        ObjectNode data = JSON.createObjectNode();
        ArrayNode modelNames = data.putArray("models");
        models.forEach(m -> modelNames.add(m.model()));
        ArrayNode tasks = data.putArray("tasks");
        for (String task : taskNames) {
            ObjectNode to = tasks.addObject();
            to.put("task", task);
            String metric = null;
            ArrayNode values = to.putArray("values");
            ArrayNode errs = to.putArray("stderr");
            for (ModelResults m : models) {
                TaskResult t = m.task(task);
                if (t == null) {
                    values.addNull();
                    errs.addNull();
                    continue;
                }
                MetricResult head = t.metrics().getFirst();
                metric = head.metric();
                values.add(head.value());
                if (Double.isNaN(head.stderr())) errs.addNull(); else errs.add(head.stderr());
            }
            to.put("metric", metric);
            to.put("higherIsBetter", metric == null || EvalRun.higherIsBetter(metric));
        }
        ArrayNode speed = data.putArray("speed");
        for (ModelResults m : models) {
            ObjectNode s = speed.addObject();
            s.put("model", m.model());
            if (m.speed() != null) {
                s.put("prefill", m.speed().prefillTokensPerSecond());
                s.put("decode", m.speed().decodeTokensPerSecond());
                s.put("msPerToken", m.speed().msPerDecodedToken());
                s.put("parameters", m.speed().parameters());
            }
        }
        StringBuilder html = new StringBuilder(1 << 20);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.chart{width:560px;height:320px;display:inline-block;margin:8px}")
                .append(".sig{font-family:monospace;font-size:11px;color:#666;text-align:left;max-width:420px;word-break:break-all}pre{background:#f6f6f6;padding:8px}</style>\n")
                .append("<script>/* Apache ECharts 5.3.1, Apache-2.0, inlined from the org.webjars.npm:echarts webjar */\n")
                .append(echarts().replace("</script", "<\\/script")).append("\n</script></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        html.append("<h2>Results</h2>\n").append(resultsTable(models, taskNames));
        html.append("<h2>Per task</h2>\n<div id=\"bars\"></div>\n<h2>Across tasks</h2>\n<div id=\"radar\" class=\"chart\" style=\"width:760px;height:480px\"></div>\n");
        html.append("<h2>Speed</h2>\n").append(speedTable(models)).append("<div id=\"speed\" class=\"chart\"></div>\n");
        html.append("<h2>Configuration</h2>\n<pre>").append(esc(configText)).append("</pre>\n");
        html.append("<script>\nconst DATA = ").append(jsonForScript(data)).append(";\n").append(CHART_SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static String resultsTable(List<ModelResults> models, Set<String> taskNames) {
        StringBuilder sb = new StringBuilder("<table><tr><th>task</th><th>metric</th>");
        for (ModelResults m : models) sb.append("<th>").append(esc(m.model())).append("</th>");
        sb.append("<th>signature</th></tr>\n");
        for (String task : taskNames) {
            List<String> metrics = new ArrayList<>();
            String signature = "";
            for (ModelResults m : models) {
                TaskResult t = m.task(task);
                if (t == null) continue;
                for (MetricResult r : t.metrics()) {
                    if (!metrics.contains(r.metric())) metrics.add(r.metric());
                }
            }
            for (String metric : metrics) {
                sb.append("<tr><td>").append(esc(task)).append("</td><td>").append(esc(metric)).append("</td>");
                for (ModelResults m : models) {
                    TaskResult t = m.task(task);
                    MetricResult r = null;
                    if (t != null) for (MetricResult x : t.metrics()) if (x.metric().equals(metric)) r = x;
                    if (r == null) {
                        sb.append("<td>–</td>");
                        continue;
                    }
                    signature = r.signature();
                    sb.append("<td>").append(fmt(r.value()));
                    if (!Double.isNaN(r.stderr())) sb.append(" ± ").append(fmt(r.stderr()));
                    sb.append("</td>");
                }
                sb.append("<td class=\"sig\">").append(esc(signature)).append("</td></tr>\n");
            }
        }
        return sb.append("</table>\n").toString();
    }

    private static String speedTable(List<ModelResults> models) {
        StringBuilder sb = new StringBuilder("<table><tr><th>model</th><th>parameters</th><th>prefill tok/s</th>"
                + "<th>decode tok/s</th><th>ms / decoded token</th></tr>\n");
        for (ModelResults m : models) {
            ModelSpeed s = m.speed();
            sb.append("<tr><td>").append(esc(m.model())).append("</td>");
            if (s == null) sb.append("<td colspan=\"4\">not measured</td>");
            else sb.append("<td>").append(s.parameters()).append("</td><td>").append(fmt(s.prefillTokensPerSecond()))
                    .append("</td><td>").append(fmt(s.decodeTokensPerSecond())).append("</td><td>")
                    .append(fmt(s.msPerDecodedToken())).append("</td>");
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** Markdown: one row per model, one column per task's headline metric, then decode throughput. */
    public static String markdown(List<ModelResults> models) {
        Set<String> taskNames = new LinkedHashSet<>();
        for (ModelResults m : models) for (TaskResult t : m.tasks()) taskNames.add(t.task());
        StringBuilder sb = new StringBuilder("| model |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String t : taskNames) {
            String metric = "";
            for (ModelResults m : models) if (m.task(t) != null) metric = m.task(t).metrics().getFirst().metric();
            sb.append(' ').append(t).append(" (").append(metric).append(") |");
            rule.append("---:|");
        }
        sb.append(" decode tok/s |\n").append(rule).append("---:|\n");
        for (ModelResults m : models) {
            sb.append("| ").append(m.model()).append(" |");
            for (String t : taskNames) {
                TaskResult r = m.task(t);
                sb.append(' ').append(r == null ? "–" : fmt(r.metrics().getFirst().value()));
                if (r != null && !Double.isNaN(r.metrics().getFirst().stderr())) sb.append(" ± ").append(fmt(r.metrics().getFirst().stderr()));
                sb.append(" |");
            }
            sb.append(' ').append(m.speed() == null ? "–" : fmt(m.speed().decodeTokensPerSecond())).append(" |\n");
        }
        return sb.toString();
    }

    static String echarts() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) throw new IllegalStateException("HTML report: " + ECHARTS + " is not on the class path (the echarts webjar)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("HTML report: cannot read " + ECHARTS + ": " + e.getMessage(), e);
        }
    }

    private static String jsonForScript(ObjectNode data) {
        try {
            return JSON.writeValueAsString(data).replace("</", "<\\/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Draws the charts from DATA; sets data-charts on body to the number drawn, for tests in a headless browser. */
    private static final String CHART_SCRIPT = """
            let drawn = 0;
            const bars = document.getElementById('bars');
            DATA.tasks.forEach((t, i) => {
              const div = document.createElement('div');
              div.className = 'chart'; div.id = 'bar-' + i; bars.appendChild(div);
              const chart = echarts.init(div, null, {renderer: 'canvas'});
              chart.setOption({
                animation: false,
                title: {text: t.task + ' — ' + t.metric + (t.higherIsBetter ? ' (higher is better)' : ' (lower is better)'),
                        textStyle: {fontSize: 13}},
                tooltip: {}, grid: {left: 60, right: 20, bottom: 60},
                xAxis: {type: 'category', data: DATA.models, axisLabel: {rotate: 20}},
                yAxis: {type: 'value'},
                series: [{type: 'bar', data: t.values, label: {show: true, position: 'top',
                          formatter: p => p.value == null ? '' : Number(p.value).toPrecision(4)}}]
              });
              drawn++;
            });
            const indicators = DATA.tasks.map(t => ({name: t.task + ' (' + t.metric + ')', max: 1}));
            const radarSeries = DATA.models.map((m, mi) => ({
              name: m,
              value: DATA.tasks.map(t => {
                const vals = t.values.filter(v => v != null && v > 0);
                const v = t.values[mi];
                if (v == null || vals.length === 0) return 0;
                return t.higherIsBetter ? v / Math.max(...vals) : Math.min(...vals) / v;
              })
            }));
            const radar = echarts.init(document.getElementById('radar'), null, {renderer: 'canvas'});
            radar.setOption({
              animation: false,
              title: {text: 'Relative to the best model per task (1 = best)', textStyle: {fontSize: 13}},
              legend: {bottom: 0, data: DATA.models}, tooltip: {},
              radar: {radius: '58%', center: ['50%', '52%'], indicator: indicators.length >= 3 ? indicators : indicators.concat([{name: '', max: 1}, {name: ' ', max: 1}]).slice(0, 3)},
              series: [{type: 'radar', data: radarSeries}]
            });
            drawn++;
            const speed = echarts.init(document.getElementById('speed'), null, {renderer: 'canvas'});
            speed.setOption({
              animation: false,
              title: {text: 'Throughput (tokens/s)', textStyle: {fontSize: 13}},
              legend: {top: 24}, tooltip: {}, grid: {top: 60, left: 70, bottom: 60},
              xAxis: {type: 'category', data: DATA.speed.map(s => s.model), axisLabel: {rotate: 20}},
              yAxis: {type: 'log'},
              series: [{name: 'prefill', type: 'bar', data: DATA.speed.map(s => s.prefill || null)},
                       {name: 'decode', type: 'bar', data: DATA.speed.map(s => s.decode || null)}]
            });
            drawn++;
            document.body.setAttribute('data-charts', String(drawn));
            """;
}
