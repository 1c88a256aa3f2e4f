package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenerationTest {

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of("gpt2", TestModels.gpt2()), Arguments.of("llama", TestModels.llama()),
                Arguments.of("mistral", TestModels.mistral()), Arguments.of("qwen2", TestModels.qwen2()));
    }

    /** Greedy generation re-running the whole sequence every step, without a cache. */
    static int[] uncachedGreedy(CausalLm model, int[] prompt, int maxTokens) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + maxTokens);
        int v = model.config().vocabSize();
        for (int n = prompt.length; n < seq.length; n++) {
            float[] logits = model.forward(Arrays.copyOf(seq, n), null, 1, n).toArray();
            seq[n] = Sampler.argmax(logits, (n - 1) * v, v);
        }
        return Arrays.copyOfRange(seq, prompt.length, seq.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void cachedGenerationEqualsUncachedArgmaxGeneration(String name, ModelConfig config) {
        Random rng = new Random(name.hashCode());
        CausalLm model = TestModels.strong(config, rng.nextLong());
        int[] prompt = rng.ints(7, 0, config.vocabSize()).toArray();
        int[] cached = Generator.generate(model, prompt, 25, SamplingParams.greedy());
        assertThat(cached).containsExactly(uncachedGreedy(model, prompt, 25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void cachedLogitsEqualFullForwardLogits(String name, ModelConfig config) {
        Random rng = new Random(17 + name.hashCode());
        CausalLm model = TestModels.strong(config, rng.nextLong());
        int[] seq = rng.ints(23, 0, config.vocabSize()).toArray();
        int batch = 1, v = config.vocabSize();
        float[] full = model.forward(seq, null, batch, seq.length).toArray();
        KvCache cache = model.newCache(batch, seq.length);
        // a prompt of 9 (longer than Mistral's window of 5), then chunks of 1 and 3; other summation orders than the
        // full forward, hence rounding-level differences (1e-4, the parity tolerance)
        int at = 0;
        for (int len : new int[] {9, 1, 1, 3, 1, 4, 1, 3}) {
            float[] part = model.forwardCached(Arrays.copyOfRange(seq, at, at + len), batch, len, cache).toArray();
            float[] want = Arrays.copyOfRange(full, at * v, (at + len) * v);
            assertThat(Closeness.maxRelativeError(part, want, Closeness.maxAbs(want)))
                    .as("%s: positions %d..%d", name, at, at + len - 1).isLessThanOrEqualTo(1e-4);
            at += len;
        }
        assertThat(cache.length()).isEqualTo(seq.length);
        assertThatThrownBy(() -> model.forwardCached(new int[] {0}, 1, 1, cache)).hasMessageContaining("exceed capacity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void packedRowsGiveEachSampleItsOwnLogits(String name, ModelConfig config) {
        Random rng = new Random(3 + name.hashCode());
        CausalLm model = TestModels.strong(config, rng.nextLong());
        int[] a = rng.ints(9, 0, config.vocabSize()).toArray(), b = rng.ints(6, 0, config.vocabSize()).toArray();
        int[] c = rng.ints(15, 0, config.vocabSize()).toArray();
        // row 0 packs a (9 tokens) and b (6 tokens); row 1 is one plain sample c; positions per row (B·T)
        int[] ids = new int[30], pos = new int[30];
        System.arraycopy(a, 0, ids, 0, 9);
        System.arraycopy(b, 0, ids, 9, 6);
        System.arraycopy(c, 0, ids, 15, 15);
        for (int i = 0; i < 15; i++) {
            pos[i] = i < 9 ? i : i - 9;
            pos[15 + i] = i;
        }
        Tensor packed = model.forward(ids, pos, 2, 15);
        Tensor row0 = packed.select(0, 0), row1 = packed.select(0, 1);
        float[][][] pairs = {
                {row0.slice(0, 0, 9).toArray(), model.forward(a, null, 1, 9).toArray()},
                {row0.slice(0, 9, 15).toArray(), model.forward(b, null, 1, 6).toArray()},
                {row1.toArray(), model.forward(c, null, 1, 15).toArray()}};
        for (float[][] p : pairs) {
            assertThat(Closeness.maxRelativeError(p[0], p[1], Closeness.maxAbs(p[1]))).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void generationStopsBeforeAStopIdAndChecksPositions() {
        CausalLm model = TestModels.strong(TestModels.llama(), 5);
        int[] prompt = {3, 4};
        int[] all = Generator.generate(model, prompt, 10, SamplingParams.greedy());
        int[] stopped = Generator.generate(model, prompt, 10, SamplingParams.greedy(), all[3]);
        int firstStop = 0;
        while (all[firstStop] != all[3]) firstStop++;
        assertThat(stopped).containsExactly(Arrays.copyOf(all, firstStop));
        assertThatThrownBy(() -> Generator.generate(model, prompt, 40, SamplingParams.greedy()))
                .hasMessageContaining("41 positions").hasMessageContaining("40");
    }

    @Test
    void samplingIsReproducibleForASeed() {
        CausalLm model = TestModels.strong(TestModels.gpt2(), 9);
        SamplingParams p = new SamplingParams(1.0, 0, 0.9, 1234);
        int[] first = Generator.generate(model, new int[] {1}, 30, p);
        assertThat(Generator.generate(model, new int[] {1}, 30, p)).containsExactly(first);
        assertThat(Generator.generate(model, new int[] {1}, 30, new SamplingParams(1.0, 0, 0.9, 99))).isNotEqualTo(first);
    }
}
