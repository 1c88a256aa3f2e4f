package ai.tarka.serve.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.RopeScaling;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.serve.kv.PagedKvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paged batched step reproduces the models module's full forward pass: several sequences of different lengths,
 * prefilled in random chunks into scattered blocks and decoded together, give the logits {@code CausalLm.forward}
 * gives each sequence alone.
 */
class PagedLlamaTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("llama-gqa", ModelConfig.llama(37, 64, 2, 4, 2, 24, 30), 11L),
                Arguments.of("mistral-window", new ModelConfig(ModelArchitecture.LLAMA, 37, 24, 2, 4, 2, 30, 64, 1e-5,
                        10000, RopeScaling.linear(2), true, false, 5, 0, 1, 2), 12L),
                Arguments.of("qwen2-bias", new ModelConfig(ModelArchitecture.LLAMA, 37, 24, 2, 4, 1, 30, 64, 1e-6, 1e6,
                        RopeScaling.none(), false, true, 0, 0, 1, 2), 13L),
                Arguments.of("wide-head", ModelConfig.llama(29, 64, 1, 2, 1, 44, 20), 14L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void chunkedPrefillAndBatchedDecodeMatchTheFullForward(String name, ModelConfig config, long seed) {
        CausalLm ref = StrongModels.strong(config, seed);
        PagedLlama paged = new PagedLlama(ref);
        Random rnd = new Random(seed);
        int blockSize = rnd.nextBoolean() ? ai.tarka.kernels.Vec.L : 3 + rnd.nextInt(4);   // vector width: the wide scoring path
        PagedKvCache cache = new PagedKvCache(config.numLayers(), 64, blockSize, config.numKvHeads() * config.headDim());
        int seqs = 3;
        int[][] tokens = new int[seqs][];
        int[][] tables = new int[seqs][];
        List<Integer> free = new ArrayList<>();
        for (int b = 0; b < 64; b++) free.add(b);
        java.util.Collections.shuffle(free, rnd);
        for (int s = 0; s < seqs; s++) {
            tokens[s] = new int[7 + rnd.nextInt(20)];
            for (int i = 0; i < tokens[s].length; i++) tokens[s][i] = rnd.nextInt(config.vocabSize());
            tables[s] = new int[(tokens[s].length + blockSize - 1) / blockSize];
            for (int b = 0; b < tables[s].length; b++) tables[s][b] = free.removeFirst();
        }
        int[] done = new int[seqs];
        float[] logits = new float[64 * config.vocabSize()];
        int v = config.vocabSize();
        while (true) {
            List<int[]> step = new ArrayList<>();   // {seq, start, count}
            for (int s = 0; s < seqs; s++) {
                int left = tokens[s].length - done[s];
                if (left > 0) step.add(new int[] {s, done[s], 1 + rnd.nextInt(Math.min(left, 20))});
            }
            if (step.isEmpty()) break;
            int n = 0;
            for (int[] st : step) n += st[2];
            int[] t = new int[n], pos = new int[n], seqOf = new int[n], rows = new int[step.size()];
            int k = 0;
            for (int i = 0; i < step.size(); i++) {
                int[] st = step.get(i);
                for (int j = 0; j < st[2]; j++, k++) {
                    t[k] = tokens[st[0]][st[1] + j];
                    pos[k] = st[1] + j;
                    seqOf[k] = st[0];
                }
                rows[i] = k - 1;
            }
            paged.forward(new StepBatch(n, t, pos, seqOf, tables, rows.length, rows), cache, logits);
            for (int i = 0; i < step.size(); i++) {
                int[] st = step.get(i);
                int end = st[1] + st[2];
                float[] want = ref.forward(java.util.Arrays.copyOf(tokens[st[0]], end), null, 1, end)
                        .slice(1, end - 1, end).toArray();
                for (int q = 0; q < v; q++) {
                    assertThat(logits[i * v + q]).as("%s seq %d token %d logit %d", name, st[0], end - 1, q)
                            .isCloseTo(want[q], org.assertj.core.data.Offset.offset(2e-3f * Math.max(1, Math.abs(want[q]))));
                }
                done[st[0]] = end;
            }
        }
    }
}
