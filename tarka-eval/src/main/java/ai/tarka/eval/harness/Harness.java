package ai.tarka.eval.harness;

import ai.tarka.eval.harness.TaskSpec.OutputType;
import ai.tarka.eval.lm.LogLikelihoodModel;
import ai.tarka.eval.lm.Perplexity;
import ai.tarka.eval.lm.TextGenerator;
import ai.tarka.eval.metrics.Bleu;
import ai.tarka.eval.metrics.BleuOptions;
import ai.tarka.eval.metrics.BleuStats;
import ai.tarka.eval.metrics.BleuTokenizer;
import ai.tarka.eval.metrics.Bootstrap;
import ai.tarka.eval.metrics.Chrf;
import ai.tarka.eval.metrics.Classification;
import ai.tarka.eval.metrics.Rouge;
import ai.tarka.eval.metrics.RougeTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Runs one task on one model and computes its metrics. */
public final class Harness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Harness() {}

    public static TaskResult run(TaskSpec task, LogLikelihoodModel model, EvalOptions options) {
        long t0 = System.nanoTime();
        TaskResult r = switch (task.outputType()) {
            case LOGLIKELIHOOD_ROLLING -> rolling(task, model, options);
            case MULTIPLE_CHOICE -> multipleChoice(task, model, options);
            case LOGLIKELIHOOD -> loglikelihood(task, model, options);
            case GENERATE_UNTIL -> {
                if (!(model instanceof TextGenerator g))
                    throw new IllegalArgumentException("task " + task.name() + ": model " + model.name() + " cannot generate text");
                yield generate(task, model, g, options);
            }
        };
        double secs = (System.nanoTime() - t0) / 1e9;
        return new TaskResult(r.task(), r.outputType(), r.documents(), r.metrics(), secs);
    }

    // ---------------------------------------------------------------- prompts

    /** The bound {@code doc_to_*} fields of a task over its loaded documents. */
    record Bound(TaskSpec task, DataFiles.Docs docs, DocField text, DocField target, DocField choiceField, List<String> choiceList) {

        static Bound of(TaskSpec task) {
            DataFiles.Docs docs = DataFiles.load(task);
            if (docs.rows().isEmpty()) throw new TaskFileException("data file " + docs.source() + " (task " + task.name() + "): no documents");
            DocField text = DocField.bind("doc_to_text", task.docToText(), docs, task.sourceFile(), false);
            DocField target = DocField.bind("doc_to_target", task.docToTarget(), docs, task.sourceFile(), false);
            DocField choiceField = null;
            List<String> choiceList = null;
            if (task.docToChoice() instanceof List<?> l) {
                choiceList = l.stream().map(Object::toString).toList();
            } else if (task.docToChoice() instanceof String s) {
                choiceField = DocField.bind("doc_to_choice", s, docs, task.sourceFile(), false);
            }
            return new Bound(task, docs, text, target, choiceField, choiceList);
        }

        List<String> choices(Map<String, Object> doc) {
            if (choiceList != null) return choiceList;
            Object v = choiceField.value(doc);
            if (v instanceof List<?> l) return l.stream().map(Object::toString).toList();
            String s = v.toString().strip();
            // a template may render a Python-style list literal
            if (s.startsWith("[")) {
                try {
                    return Arrays.asList(JSON.readValue(s.replace('\'', '"'), String[].class));
                } catch (IOException e) {
                    throw new TaskFileException("task " + task.name() + ": doc_to_choice rendered '" + s + "', not a list");
                }
            }
            throw new TaskFileException("task " + task.name() + ": doc_to_choice gave '" + s + "', not a list of choices");
        }

        int goldIndex(Map<String, Object> doc, List<String> choices, int docId) {
            String t = target.text(doc).strip();
            int idx = choices.indexOf(t);
            if (idx >= 0) return idx;
            try {
                int i = Integer.parseInt(t);
                if (i >= 0 && i < choices.size()) return i;
            } catch (NumberFormatException ignored) {
                // not an index: reported below
            }
            throw new TaskFileException("task " + task.name() + ": document " + docId + " of " + docs.source() + ": doc_to_target '"
                    + t + "' is neither a choice " + choices + " nor an index into them");
        }

        /** Few-shot examples (other documents, drawn by a generator seeded from the task seed and the document). */
        String context(int docId) {
            Map<String, Object> doc = docs.rows().get(docId);
            StringBuilder sb = new StringBuilder(task.description());
            if (task.numFewshot() > 0) {
                SplittableRandom rng = new SplittableRandom(task.fewshotSeed() * 1_000_003L + docId);
                List<Integer> picked = new ArrayList<>();
                int pool = docs.rows().size() - 1;
                int want = Math.min(task.numFewshot(), pool);
                while (picked.size() < want) {
                    int j = rng.nextInt(docs.rows().size());
                    if (j != docId && !picked.contains(j)) picked.add(j);
                }
                for (int j : picked) {
                    Map<String, Object> ex = docs.rows().get(j);
                    sb.append(text.text(ex)).append(task.targetDelimiter()).append(exampleTarget(ex, j))
                            .append(task.fewshotDelimiter());
                }
            }
            return sb.append(text.text(doc)).toString();
        }

        private String exampleTarget(Map<String, Object> ex, int j) {
            if (task.outputType() != OutputType.MULTIPLE_CHOICE) return target.text(ex);
            List<String> c = choices(ex);
            return c.get(goldIndex(ex, c, j));
        }
    }

    private static int docCount(Bound b, EvalOptions o) {
        int n = b.docs().rows().size();
        return o.limit() > 0 ? Math.min(o.limit(), n) : n;
    }

    /** Context and continuation token ids the way lm-evaluation-harness splits them. */
    record Request(int doc, int choice, int[] sequence, int from, String context, String continuation) {}

    static Request request(LogLikelihoodModel model, int doc, int choice, String context, String continuation) {
        int[] whole = model.encode(context + continuation);
        int[] ctx = model.encode(context);
        int ctxLen = Math.min(ctx.length, whole.length);
        int[] cont = Arrays.copyOfRange(whole, ctxLen, whole.length);
        if (cont.length == 0) throw new IllegalArgumentException("task request " + doc + ": the continuation '" + continuation + "' has no tokens");
        boolean bos = model.bos() >= 0;
        int[] seq = new int[(bos ? 1 : 0) + whole.length];
        if (bos) seq[0] = model.bos();
        System.arraycopy(whole, 0, seq, bos ? 1 : 0, whole.length);
        // keep the rightmost tokens when too long (lm-eval truncates the context from the left)
        if (seq.length > model.maxLength()) seq = Arrays.copyOfRange(seq, seq.length - model.maxLength(), seq.length);
        int from = seq.length - cont.length;
        if (from < 1) throw new IllegalArgumentException("task request " + doc + ": the continuation alone fills the model's window");
        return new Request(doc, choice, seq, from, context, continuation);
    }

    /** Summed log-likelihood and all-greedy flag per request, computed in chunks of {@code batchSize}. */
    static double[][] score(LogLikelihoodModel model, List<Request> reqs, int batchSize, boolean greedy) {
        double[] ll = new double[reqs.size()];
        double[] isGreedy = new double[reqs.size()];
        for (int start = 0; start < reqs.size(); start += batchSize) {
            int stop = Math.min(start + batchSize, reqs.size());
            List<int[]> seqs = new ArrayList<>();
            int[] from = new int[stop - start];
            for (int i = start; i < stop; i++) {
                seqs.add(reqs.get(i).sequence());
                from[i - start] = reqs.get(i).from();
            }
            double[][] lp = model.tokenLogProbs(seqs, from);
            boolean[][] g = greedy ? model.greedyFlags(seqs, from) : null;
            for (int i = 0; i < lp.length; i++) {
                double s = 0;
                for (double v : lp[i]) s += v;
                ll[start + i] = s;
                if (g != null) {
                    boolean all = true;
                    for (boolean b : g[i]) all &= b;
                    isGreedy[start + i] = all ? 1 : 0;
                }
            }
        }
        return new double[][] {ll, isGreedy};
    }

    // ---------------------------------------------------------------- output types

    private static TaskResult multipleChoice(TaskSpec task, LogLikelihoodModel model, EvalOptions o) {
        Bound b = Bound.of(task);
        int n = docCount(b, o);
        List<Request> reqs = new ArrayList<>();
        int[] gold = new int[n];
        List<List<String>> choicesOf = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            Map<String, Object> doc = b.docs().rows().get(d);
            List<String> choices = b.choices(doc);
            choicesOf.add(choices);
            gold[d] = b.goldIndex(doc, choices, d);
            String ctx = b.context(d);
            for (int c = 0; c < choices.size(); c++) reqs.add(request(model, d, c, ctx, task.targetDelimiter() + choices.get(c)));
        }
        double[] ll = score(model, reqs, o.batchSize(), false)[0];
        double[] acc = new double[n], accNorm = new double[n];
        List<String> goldLabels = new ArrayList<>(), predLabels = new ArrayList<>();
        int k = 0;
        for (int d = 0; d < n; d++) {
            List<String> choices = choicesOf.get(d);
            int best = -1, bestNorm = -1;
            double bestLl = Double.NEGATIVE_INFINITY, bestLlNorm = Double.NEGATIVE_INFINITY;
            ObjectNode sample = o.samples() != null ? JSON.createObjectNode() : null;
            for (int c = 0; c < choices.size(); c++, k++) {
                double norm = ll[k] / choices.get(c).length();
                if (ll[k] > bestLl) {
                    bestLl = ll[k];
                    best = c;
                }
                if (norm > bestLlNorm) {
                    bestLlNorm = norm;
                    bestNorm = c;
                }
                if (sample != null) sample.withArray("loglikelihoods").add(ll[k]);
            }
            acc[d] = best == gold[d] ? 1 : 0;
            accNorm[d] = bestNorm == gold[d] ? 1 : 0;
            goldLabels.add(choices.get(gold[d]));
            predLabels.add(choices.get(best));
            if (sample != null) {
                sample.put("task", task.name()).put("doc_id", d).put("prompt", b.context(d));
                sample.putPOJO("choices", choices);
                sample.put("target", choices.get(gold[d])).put("prediction", choices.get(best)).put("acc", acc[d])
                        .put("acc_norm", accNorm[d]);
                writeSample(o, sample);
            }
        }
        List<MetricResult> out = new ArrayList<>();
        String sig = "output:multiple_choice|fewshot:" + task.numFewshot() + "|n:" + n;
        for (String m : task.metrics()) {
            switch (m) {
                case "acc" -> out.add(meanMetric("acc", acc, o, sig));
                case "acc_norm" -> out.add(meanMetric("acc_norm", accNorm, o, sig + "|norm:chars"));
                default -> out.add(labelMetric(m, goldLabels, predLabels, choicesOf.getFirst(), o, sig));
            }
        }
        return new TaskResult(task.name(), task.outputType().yaml(), n, out, 0);
    }

    private static MetricResult labelMetric(String m, List<String> gold, List<String> pred, List<String> choices,
                                            EvalOptions o, String sig) {
        java.util.function.ToDoubleFunction<int[]> stat = idx -> {
            List<String> g = new ArrayList<>(idx.length), p = new ArrayList<>(idx.length);
            for (int i : idx) {
                g.add(gold.get(i));
                p.add(pred.get(i));
            }
            return labelStat(m, g, p, choices);
        };
        double value = labelStat(m, gold, pred, choices);
        String avg = choices.size() == 2 ? "binary(pos:" + choices.get(1) + ")" : "macro";
        if (o.bootstrapSamples() <= 0) return new MetricResult(m, value, Double.NaN, sig + "|average:" + avg);
        Bootstrap.Interval ci = Bootstrap.resample(gold.size(), stat, o.bootstrapSamples(), 0.95, o.seed());
        return withInterval(m, value, ci, o, sig + "|average:" + avg, o.bootstrapSamples());
    }

    private static double labelStat(String m, List<String> gold, List<String> pred, List<String> choices) {
        Classification.Average avg = choices.size() == 2 ? Classification.Average.BINARY : Classification.Average.MACRO;
        String pos = choices.get(choices.size() - 1);
        return switch (m) {
            case "mcc" -> Classification.matthews(gold, pred);
            case "f1" -> Classification.prf(gold, pred, avg, pos).f1();
            case "precision" -> Classification.prf(gold, pred, avg, pos).precision();
            case "recall" -> Classification.prf(gold, pred, avg, pos).recall();
            default -> throw new IllegalArgumentException("unknown label metric " + m);
        };
    }

    private static MetricResult meanMetric(String name, double[] perDoc, EvalOptions o, String sig) {
        double mean = 0;
        for (double v : perDoc) mean += v;
        mean /= Math.max(perDoc.length, 1);
        if (o.bootstrapSamples() <= 0) return new MetricResult(name, mean, Double.NaN, sig);
        Bootstrap.Interval ci = Bootstrap.ofMean(perDoc, o.bootstrapSamples(), o.seed());
        return new MetricResult(name, mean, ci.stderr(), ci.low(), ci.high(), sig + "|bootstrap:" + o.bootstrapSamples() + "|seed:" + o.seed());
    }

    private static MetricResult withInterval(String name, double value, Bootstrap.Interval ci, EvalOptions o, String sig, int samples) {
        return new MetricResult(name, value, ci.stderr(), ci.low(), ci.high(), sig + "|bootstrap:" + samples + "|seed:" + o.seed());
    }

    private static TaskResult loglikelihood(TaskSpec task, LogLikelihoodModel model, EvalOptions o) {
        Bound b = Bound.of(task);
        int n = docCount(b, o);
        List<Request> reqs = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            reqs.add(request(model, d, 0, b.context(d), task.targetDelimiter() + b.target().text(b.docs().rows().get(d))));
        }
        double[][] s = score(model, reqs, o.batchSize(), task.metrics().contains("acc"));
        double[] ll = s[0];
        List<MetricResult> out = new ArrayList<>();
        String sig = "output:loglikelihood|fewshot:" + task.numFewshot() + "|n:" + n;
        for (int d = 0; d < n && o.samples() != null; d++) {
            ObjectNode sample = JSON.createObjectNode().put("task", task.name()).put("doc_id", d)
                    .put("prompt", reqs.get(d).context()).put("target", reqs.get(d).continuation())
                    .put("loglikelihood", ll[d]).put("is_greedy", s[1][d] == 1);
            writeSample(o, sample);
        }
        for (String m : task.metrics()) {
            if (m.equals("acc")) out.add(meanMetric("acc", s[1], o, sig + "|acc:greedy"));
            else {
                long tokens = 0;
                double sum = 0;
                for (int d = 0; d < n; d++) {
                    tokens += reqs.get(d).sequence().length - reqs.get(d).from();
                    sum += ll[d];
                }
                out.add(new MetricResult("perplexity", Math.exp(-sum / tokens), Double.NaN, sig + "|per:token"));
            }
        }
        return new TaskResult(task.name(), task.outputType().yaml(), n, out, 0);
    }

    private static TaskResult generate(TaskSpec task, LogLikelihoodModel model, TextGenerator gen, EvalOptions o) {
        Bound b = Bound.of(task);
        int n = docCount(b, o);
        List<String> hyps = new ArrayList<>(), refs = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            String prompt = b.context(d);
            String out = gen.generate(prompt, task.until(), task.maxGenToks()).strip();
            String ref = b.target().text(b.docs().rows().get(d)).strip();
            hyps.add(out);
            refs.add(ref);
            if (o.samples() != null) {
                writeSample(o, JSON.createObjectNode().put("task", task.name()).put("doc_id", d).put("prompt", prompt)
                        .put("target", ref).put("generation", out));
            }
        }
        String sig = "output:generate_until|fewshot:" + task.numFewshot() + "|n:" + n + "|decode:greedy|max_gen_toks:" + task.maxGenToks();
        List<MetricResult> results = new ArrayList<>();
        for (String m : task.metrics()) results.add(generationMetric(m, task.optionsOf(m), hyps, refs, o, sig));
        return new TaskResult(task.name(), task.outputType().yaml(), n, results, 0);
    }

    private static MetricResult generationMetric(String m, Map<String, String> opts, List<String> hyps, List<String> refs,
                                                 EvalOptions o, String sig) {
        int n = hyps.size();
        switch (m) {
            case "bleu" -> {
                Bleu bleu = new Bleu(BleuOptions.corpusDefaults()
                        .withTokenizer(BleuTokenizer.named(opts.getOrDefault("tokenize", "13a")))
                        .withLowercase(Boolean.parseBoolean(opts.getOrDefault("lowercase", "false"))));
                BleuStats[] per = new BleuStats[n];
                for (int i = 0; i < n; i++) per[i] = bleu.segmentStats(hyps.get(i), List.of(refs.get(i)));
                java.util.function.ToDoubleFunction<int[]> stat = idx -> {
                    BleuStats s = BleuStats.zero(4);
                    for (int i : idx) s = s.plus(per[i]);
                    return bleu.fromStats(s, 1).score();
                };
                int[] all = new int[n];
                for (int i = 0; i < n; i++) all[i] = i;
                if (o.bootstrapSamples() <= 0) return new MetricResult("bleu", stat.applyAsDouble(all), Double.NaN, bleu.signature(1));
                Bootstrap.Interval ci = Bootstrap.resample(n, stat, o.bootstrapSamples(), 0.95, o.seed());
                return withInterval("bleu", stat.applyAsDouble(all), ci, o, bleu.signature(1), o.bootstrapSamples());
            }
            case "chrf", "chrf++" -> {
                boolean lc = Boolean.parseBoolean(opts.getOrDefault("lowercase", "false"));
                Chrf chrf = new Chrf(6, m.equals("chrf") ? 0 : 2, 2, lc, false);
                var score = chrf.corpus(hyps, List.of(refs));
                if (o.bootstrapSamples() > 0) {
                    // chrF recomputes n-gram statistics per resample: capped at 200 resamples to stay quick
                    int samples = Math.min(o.bootstrapSamples(), 200);
                    Bootstrap.Interval ci = Bootstrap.resample(n, idx -> {
                        List<String> h = new ArrayList<>(), r = new ArrayList<>();
                        for (int i : idx) {
                            h.add(hyps.get(i));
                            r.add(refs.get(i));
                        }
                        return chrf.corpus(h, List.of(r)).value();
                    }, samples, 0.95, o.seed());
                    return withInterval(m, score.value(), ci, o, score.signature(), samples);
                }
                return new MetricResult(m, score.value(), Double.NaN, score.signature());
            }
            case "exact_match" -> {
                double[] per = new double[n];
                for (int i = 0; i < n; i++) per[i] = hyps.get(i).equals(refs.get(i)) ? 1 : 0;
                return meanMetric("exact_match", per, o, sig + "|strip:yes");
            }
            default -> {
                // rouge-score's defaults unless the task says otherwise: no stemming, its ASCII tokenizer
                Rouge rouge = new Rouge(Boolean.parseBoolean(opts.getOrDefault("use_stemmer", "false")),
                        opts.getOrDefault("tokenizer", "default").equals("unicode") ? RougeTokenizer.UNICODE : RougeTokenizer.DEFAULT);
                double[] per = new double[n];
                for (int i = 0; i < n; i++) per[i] = rouge.score(m, refs.get(i), hyps.get(i)).fmeasure();
                return meanMetric(m, per, o, rouge.signature(m) + "|stat:mean_f");
            }
        }
    }

    private static TaskResult rolling(TaskSpec task, LogLikelihoodModel model, EvalOptions o) {
        String text;
        try {
            text = Files.readString(DataFiles.path(task.dataPath()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TaskFileException("data file " + task.dataPath() + " (task " + task.name() + "): cannot read: " + e.getMessage(), e);
        }
        int start = (int) Math.min(task.textOffset() >= 0 ? task.textOffset() : text.length() + task.textOffset(), text.length());
        int end = task.textChars() > 0 ? Math.min(text.length(), start + task.textChars()) : text.length();
        text = text.substring(Math.max(start, 0), end);
        int window = task.windowLength() > 0 ? Math.min(task.windowLength(), model.maxLength()) : model.maxLength();
        int stride = task.stride() > 0 ? Math.min(task.stride(), window) : window;
        Perplexity.Result r = Perplexity.of(model, text, window, stride, o.batchSize(), o.limit());
        String sig = "output:loglikelihood_rolling|" + r.signature() + "|offset:" + start + "|chars:" + (end - start);
        List<MetricResult> out = new ArrayList<>();
        for (String m : task.metrics()) {
            out.add(m.equals("perplexity") ? new MetricResult("perplexity", r.perplexity(), Double.NaN, sig + "|per:token")
                    : new MetricResult("bits_per_byte", r.bitsPerByte(), Double.NaN, sig + "|per:utf8_byte"));
        }
        if (o.samples() != null) {
            writeSample(o, JSON.createObjectNode().put("task", task.name()).put("windows", r.windows()).put("tokens", r.tokens())
                    .put("bytes", r.bytes()).put("nll", r.nll()));
        }
        return new TaskResult(task.name(), task.outputType().yaml(), r.windows(), out, 0);
    }

    private static void writeSample(EvalOptions o, ObjectNode sample) {
        try {
            o.samples().write(JSON.writeValueAsString(sample));
            o.samples().write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("--log-samples: cannot write: " + e.getMessage(), e);
        }
    }
}
