package ai.tarka.serve.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.serve.metrics.ServeMetrics;
import ai.tarka.serve.model.PagedLlama;
import ai.tarka.serve.model.StrongModels;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Continuous batching does not change what a sequence generates: many greedy requests served together — prefilled in
 * chunks, preempted and recomputed when the block pool is too small, sharing cached prefixes — produce exactly the
 * tokens a plain one-at-a-time greedy loop over {@code CausalLm.forward} produces, and leave no block in use.
 */
class EngineTest {

    /** One character per id, enough for stop strings and usage. */
    static final class CharIds implements TextTokenizer {
        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c - 'a').toArray();
        }

        @Override
        public int[] encodeOrdinary(String text) {
            return encode(text);
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append((char) ('a' + id));
            return sb.toString();
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 5, 7, 200, true", "2, 4, 64, 14, true", "3, 3, 5, 12, false", "4, 6, 9, 30, true"})
    void batchedServingGivesEachSequenceItsOwnGreedyTokens(long seed, int blockSize, int maxBatched, int blocks,
                                                           boolean caching) throws Exception {
        ModelConfig cfg = ModelConfig.llama(23, 64, 2, 4, 2, 24, 30);
        CausalLm ref = StrongModels.strong(cfg, seed);
        ServeMetrics metrics = new ServeMetrics("t");
        Random r = new Random(seed);
        int[] shared = new int[9];
        for (int i = 0; i < shared.length; i++) shared[i] = r.nextInt(23);
        List<int[]> prompts = new ArrayList<>();
        for (int q = 0; q < 7; q++) {
            int[] p = new int[3 + r.nextInt(12)];
            for (int i = 0; i < p.length; i++) p[i] = q % 2 == 0 && i < shared.length ? shared[i] : r.nextInt(23);
            prompts.add(p);
        }
        int maxTokens = 9;
        Engine engine = new Engine(new PagedLlama(ref), new CharIds(), -1,
                new EngineConfig(blockSize, blocks, 4, maxBatched, 100, caching), metrics, false);
        try {
            List<LinkedBlockingQueue<SeqEvent>> queues = new ArrayList<>();
            for (int[] p : prompts) {
                LinkedBlockingQueue<SeqEvent> q = new LinkedBlockingQueue<>();
                queues.add(q);
                engine.submit(p, SamplingOptions.greedy(maxTokens), 1, q::offer);
            }
            engine.start();     // every request queued first, so the schedule (and the preemptions) do not depend on timing
            for (int k = 0; k < prompts.size(); k++) {
                List<Integer> got = new ArrayList<>();
                SeqEvent e;
                do {
                    e = queues.get(k).poll(60, TimeUnit.SECONDS);
                    assertThat(e).as("event of request %d", k).isNotNull();
                    assertThat(e.error()).isNull();
                    for (var d : e.tokens()) got.add(d.token());
                } while (e.finish() == null);
                assertThat(e.finish()).isEqualTo(FinishReason.LENGTH);
                assertThat(e.outputTokens()).isEqualTo(maxTokens);
                assertThat(got).as("request %d", k).containsExactlyElementsOf(greedy(ref, prompts.get(k), maxTokens));
            }
            for (int i = 0; i < 100 && engine.usedBlocks() > 0; i++) Thread.sleep(10);
            assertThat(engine.usedBlocks()).isZero();
            if (blocks < 20) assertThat(metrics.preemptions.get()).isPositive();
            if (caching) assertThat(metrics.prefixCacheHits.get()).isPositive();
        } finally {
            engine.close(5000);
        }
    }

    static List<Integer> greedy(CausalLm model, int[] prompt, int n) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + n);
        int len = prompt.length;
        List<Integer> out = new ArrayList<>();
        int v = model.config().vocabSize();
        for (int i = 0; i < n; i++) {
            Tensor logits = model.forward(Arrays.copyOf(seq, len), null, 1, len);
            float[] last = logits.slice(1, len - 1, len).toArray();
            int best = TokenSampler.argmax(last, 0, v);
            out.add(best);
            seq[len++] = best;
        }
        return out;
    }
}
