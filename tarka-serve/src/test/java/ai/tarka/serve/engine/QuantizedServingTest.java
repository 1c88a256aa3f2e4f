package ai.tarka.serve.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.inference.SequenceState;
import ai.tarka.inference.convert.GgufLlamaWriter;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.serve.metrics.ServeMetrics;
import ai.tarka.serve.model.PagedLlama;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stories260K written as a Q8_0 GGUF and served from its mapped file: the engine's greedy tokens equal
 * tarka-inference's {@link LlamaInference} on the same weights, batched requests equal each request served alone,
 * and the served model keeps no F32 copy of its projections. Steps stay under 16 token rows, so every projection
 * runs the Q8-activation integer kernels on both sides (the prefill tiles are checked in QuantizedWeightsTest).
 */
class QuantizedServingTest {
    static final int TOKENS = 50;
    static final int MAX_STEP = 8;

    @TempDir
    static Path dir;
    static LlamaWeights q8;

    @BeforeAll
    static void writeQ8() {
        Path f32 = SharedData.resolve("stories260K").resolve("stories260K.gguf");
        Path out = dir.resolve("stories260K-q8_0.gguf");
        try (LlamaWeights w = ModelLoader.load(f32, 0)) {
            GgufLlamaWriter.write(w, QuantFormat.Q8_0, Map.of(), "stories260K", out);
        }
        q8 = ModelLoader.load(out, 0);
    }

    @AfterAll
    static void close() {
        if (q8 != null) q8.close();
    }

    static List<int[]> prompts(long seed, int count) {
        Random r = new Random(seed);
        List<int[]> ps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] p = new int[2 + r.nextInt(13)];
            p[0] = 1;
            for (int j = 1; j < p.length; j++) p[j] = 3 + r.nextInt(500);
            ps.add(p);
        }
        return ps;
    }

    @Test
    void theMappedQ8ModelHoldsNoF32CopyOfItsProjections() {
        assertThat(q8.layers()[0].wq().format()).isEqualTo(QuantFormat.Q8_0);
        assertThat(q8.output().format()).isEqualTo(QuantFormat.Q8_0);
        PagedLlama quantized = new PagedLlama(q8);
        assertThat(quantized.projectionHeapBytes()).isZero();
        PagedLlama f32 = new PagedLlama(LlamaCheckpoints.loadGguf(SharedData.resolve("stories260K").resolve("stories260K.gguf"), 0));
        assertThat(f32.projectionHeapBytes()).as("the packed F32 path").isGreaterThanOrEqualTo(4L * q8.bytesPerToken() / 2);
    }

    @Test
    void greedyServingEqualsTheInferencePathAndBatchingChangesNothing() throws Exception {
        List<int[]> prompts = prompts(7, 4);
        List<List<Integer>> alone = new ArrayList<>();
        for (int[] p : prompts) alone.add(serve(List.of(p)).getFirst());
        List<List<Integer>> together = serve(prompts);
        LlamaInference inf = new LlamaInference(q8, q8.config().maxPositions(), MAX_STEP);
        for (int k = 0; k < prompts.size(); k++) {
            List<Integer> want = inferenceGreedy(inf, prompts.get(k));
            assertThat(alone.get(k)).as("request %d alone vs LlamaInference", k).containsExactlyElementsOf(want);
            assertThat(together.get(k)).as("request %d in a batch vs alone", k).containsExactlyElementsOf(alone.get(k));
        }
    }

    private static List<Integer> inferenceGreedy(LlamaInference inf, int[] prompt) {
        SequenceState s = inf.newSequence();
        float[] logits = inf.prefill(s, prompt);
        int v = q8.config().vocabSize();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < TOKENS; i++) {
            int next = TokenSampler.argmax(logits, 0, v);
            out.add(next);
            if (i + 1 < TOKENS) logits = inf.prefill(s, new int[] {next});
        }
        return out;
    }

    private static List<List<Integer>> serve(List<int[]> prompts) throws Exception {
        Engine engine = new Engine(new PagedLlama(q8), new EngineTest.CharIds(), -1,
                new EngineConfig(4, 200, 8, MAX_STEP, 100, false), new ServeMetrics("q8"), false);
        try {
            List<LinkedBlockingQueue<SeqEvent>> queues = new ArrayList<>();
            for (int[] p : prompts) {
                LinkedBlockingQueue<SeqEvent> q = new LinkedBlockingQueue<>();
                queues.add(q);
                engine.submit(p, SamplingOptions.greedy(TOKENS), 1, q::offer);
            }
            engine.start();
            List<List<Integer>> outs = new ArrayList<>();
            for (int k = 0; k < prompts.size(); k++) {
                List<Integer> got = new ArrayList<>();
                SeqEvent e;
                do {
                    e = queues.get(k).poll(60, TimeUnit.SECONDS);
                    assertThat(e).as("event of request %d", k).isNotNull();
                    assertThat(e.error()).isNull();
                    for (var d : e.tokens()) got.add(d.token());
                } while (e.finish() == null);
                assertThat(got).hasSize(TOKENS);
                outs.add(got);
            }
            return outs;
        } finally {
            engine.close(5000);
        }
    }
}
