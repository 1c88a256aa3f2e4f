package ai.tarka.eval.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.tarka.engine.GradMode;
import ai.tarka.eval.TinyLm;
import ai.tarka.eval.lm.CausalLmScorer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessTest {
    @TempDir
    Path dir;

    TaskSpec toyTask(int fewshot) throws Exception {
        Random rng = new Random(11);
        StringBuilder data = new StringBuilder();
        String[] words = {"good", "bad", "great food", "awful", "slow service", "loved it", "meh"};
        for (int i = 0; i < 23; i++) data.append(words[rng.nextInt(words.length)]).append(" ").append(i).append('\t').append(rng.nextInt(2)).append('\n');
        Files.writeString(dir.resolve("toy.tsv"), data);
        Files.writeString(dir.resolve("toy.yaml"), TaskSpecsTest.GOOD + "num_fewshot: " + fewshot + "\n"
                + "metric_list: [acc, acc_norm, f1, mcc]\n".replace("metric_list", "#"));
        return TaskSpecs.load(dir.resolve("toy.yaml"));
    }

    @Test
    void multipleChoiceScoresDoNotDependOnBatchSize() throws Exception {
        TaskSpec task = toyTask(2);
        CausalLmScorer m = TinyLm.scorer(5, 256);
        StringWriter s1 = new StringWriter(), s4 = new StringWriter();
        TaskResult one = Harness.run(task, m, new EvalOptions(0, 1, 200, 1, s1));
        TaskResult four = Harness.run(task, m, new EvalOptions(0, 4, 200, 1, s4));
        assertThat(four.metrics()).isEqualTo(one.metrics());
        assertThat(s4.toString()).isEqualTo(s1.toString());
        assertThat(one.documents()).isEqualTo(23);
        assertThat(one.metric("acc").stderr()).isGreaterThan(0);
        assertThat(one.metric("acc").signature()).contains("fewshot:2").contains("bootstrap:200|seed:1");
        assertThat(one.metric("acc").ciLow()).isLessThanOrEqualTo(one.metric("acc").value());
        assertThat(one.metric("acc").ciHigh()).isGreaterThanOrEqualTo(one.metric("acc").value()).isGreaterThan(one.metric("acc").ciLow());
    }

    @Test
    void choiceLogLikelihoodIsTheSumOfTokenLogProbsOfTheContinuation() throws Exception {
        TaskSpec task = toyTask(0);
        CausalLmScorer m = TinyLm.scorer(9, 256);
        StringWriter samples = new StringWriter();
        Harness.run(task, m, new EvalOptions(3, 2, 0, 1, samples));
        List<String> lines = samples.toString().lines().toList();
        assertThat(lines).hasSize(3);
        JsonNode first = new ObjectMapper().readTree(lines.getFirst());
        String prompt = first.get("prompt").asText();
        for (int c = 0; c < 2; c++) {
            String choice = first.get("choices").get(c).asText();
            double want = directLogLikelihood(m, prompt, " " + choice);
            assertThat(first.get("loglikelihoods").get(c).asDouble()).isCloseTo(want, within(1e-9));
        }
    }

    /** Reference: one forward over BOS + prompt + continuation, log-softmax of each continuation token. */
    static double directLogLikelihood(CausalLmScorer m, String context, String continuation) {
        int[] ctx = m.encode(context), cont = m.encode(continuation);   // a char tokenizer splits at the boundary
        int n = 1 + ctx.length + cont.length;
        int[] ids = new int[n];
        ids[0] = m.bos();
        System.arraycopy(ctx, 0, ids, 1, ctx.length);
        System.arraycopy(cont, 0, ids, 1 + ctx.length, cont.length);
        float[] logits;
        try (var g = GradMode.disable()) {
            logits = m.model().forward(ids, null, 1, n).toArray();
        }
        int v = m.model().config().vocabSize();
        double ll = 0;
        for (int p = n - cont.length - 1; p < n - 1; p++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < v; k++) max = Math.max(max, logits[p * v + k]);
            for (int k = 0; k < v; k++) sum += Math.exp(logits[p * v + k] - max);
            ll += logits[p * v + ids[p + 1]] - max - Math.log(sum);
        }
        return ll;
    }

    @Test
    void loglikelihoodTaskReportsGreedyAccuracyAndPerplexityIndependentOfBatchSize() throws Exception {
        Files.writeString(dir.resolve("ll.csv"), "q,a\nab,c\nhello,world\nxyz,zy\n");
        Files.writeString(dir.resolve("ll.yaml"), """
                task: ll
                dataset_path: ll.csv
                output_type: loglikelihood
                doc_to_text: q
                doc_to_target: a
                metric_list: [acc, perplexity]
                """);
        TaskSpec t = TaskSpecs.load(dir.resolve("ll.yaml"));
        CausalLmScorer m = TinyLm.scorer(21, 64);
        TaskResult one = Harness.run(t, m, new EvalOptions(0, 1, 30, 1, null));
        TaskResult three = Harness.run(t, m, new EvalOptions(0, 3, 30, 1, null));
        assertThat(three.metrics()).isEqualTo(one.metrics());
        double ll = directLogLikelihood(m, "ab", " c") + directLogLikelihood(m, "hello", " world") + directLogLikelihood(m, "xyz", " zy");
        assertThat(one.metric("perplexity").value()).isCloseTo(Math.exp(-ll / (2 + 6 + 3)), within(1e-9));
        assertThat(one.metric("acc").value()).isBetween(0.0, 1.0);
    }

    @Test
    void trainingEvaluationRunsTasksOnLiveWeights() throws Exception {
        TaskSpec t = toyTask(0);
        CausalLmScorer m = TinyLm.scorer(4, 128);
        TrainingEvaluation ev = new TrainingEvaluation(List.of(t.sourceFile()), 6, 2);
        var first = ev.evaluate(m.model(), ai.tarka.tokenizers.chars.CharTokenizer.fromCodePoints(java.util.stream.IntStream.range(0, 128).toArray()), 1, 2, "live");
        assertThat(first.keySet()).containsExactly("toy/acc", "toy/acc_norm");
        assertThat(first.get("toy/acc")).isEqualTo(Harness.run(t, m, new EvalOptions(6, 1, 0, 1, null)).metric("acc").value());
    }

    @Test
    void generationStopsAtStopSequencesAndScoresWithSignatures() throws Exception {
        Files.writeString(dir.resolve("gen.jsonl"), "{\"q\": \"abc\", \"a\": \"abc\"}\n{\"q\": \"xyz\", \"a\": \"zz\"}\n");
        Files.writeString(dir.resolve("gen.yaml"), """
                task: gen
                dataset_path: gen.jsonl
                output_type: generate_until
                doc_to_text: "Q: {{ q }} A:"
                doc_to_target: a
                generation_kwargs: {until: ["e", "\\n"], max_gen_toks: 12}
                metric_list: [bleu, chrf, {metric: rougeL, use_stemmer: true}, {metric: rouge1, tokenizer: unicode}, exact_match]
                """);
        TaskSpec t = TaskSpecs.load(dir.resolve("gen.yaml"));
        StringWriter samples = new StringWriter();
        TaskResult r = Harness.run(t, TinyLm.scorer(3, 64), new EvalOptions(0, 1, 50, 1, samples));
        for (String line : samples.toString().lines().toList()) {
            String gen = new ObjectMapper().readTree(line).get("generation").asText();
            assertThat(gen).doesNotContain("e").doesNotContain("\n").hasSizeLessThanOrEqualTo(12);
        }
        assertThat(r.metric("bleu").signature()).startsWith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp");
        assertThat(r.metric("rougeL").signature()).startsWith("type:rougeL|stem:yes");
        assertThat(r.metric("chrf").signature()).contains("nc:6");
        assertThat(r.metric("rouge1").signature()).startsWith("type:rouge1|stem:no|tok:unicode");
    }
}
