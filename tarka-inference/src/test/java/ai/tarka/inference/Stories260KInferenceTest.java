package ai.tarka.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.kernels.quant.QuantFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real stories260K model through the inference path, from llama2.c's {@code .bin} and llama.cpp's GGUF:
 * last-position logits within 1e-4 (relative to the largest logit, as the models module checks) of the NumPy
 * reference, run.c's 200 greedy tokens exactly, and the same first 50 greedy tokens after Q8_0 quantisation.
 */
class Stories260KInferenceTest {
    static LlamaWeights bin, gguf;

    @BeforeAll
    static void load() {
        Path dir = SharedData.resolve("stories260K");
        bin = ModelLoader.load(dir.resolve("stories260K.bin"), 0);
        // llama.cpp's converter wrote context_length 128; the model was trained with 512 (the .bin's seq_len)
        gguf = ModelLoader.load(dir.resolve("stories260K.gguf"), 512);
    }

    @AfterAll
    static void close() {
        bin.close();
        gguf.close();
    }

    static int[] expectedGreedy() throws Exception {
        Path f = SharedData.resolve("stories260K/expected-greedy-200.ids.txt");
        return Arrays.stream(Files.readAllLines(f).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .findFirst().orElseThrow().trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    /** Greedy decoding after BOS, one token per step (ties to the lowest id, as run.c's argmax). */
    static int[] greedy(LlamaInference m, int steps) {
        SequenceState s = m.newSequence();
        float[] logits = m.prefill(s, new int[] {1});
        int[] out = new int[steps];
        for (int t = 0; t < steps; t++) {
            int best = 0;
            for (int i = 1; i < m.config().vocabSize(); i++) if (logits[i] > logits[best]) best = i;
            out[t] = best;
            if (t + 1 < steps) logits = m.forwardBatch(List.of(s), new int[] {best});
        }
        return out;
    }

    @Test
    void logitsMatchTheReferenceFromBothFiles() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(SharedData.resolve("stories260K/expected-logits.json").toFile()).get("cases");
        for (LlamaWeights weights : new LlamaWeights[] {bin, gguf}) {
            LlamaInference m = new LlamaInference(weights, 512, 3); // 3-token blocks: the 5-token case spans two steps
            for (JsonNode cs : cases) {
                int[] ids = new int[cs.get("input_ids").size()];
                for (int i = 0; i < ids.length; i++) ids[i] = cs.get("input_ids").get(i).intValue();
                float[] want = new float[512];
                for (int i = 0; i < 512; i++) want[i] = cs.get("logits_last_position").get(i).floatValue();
                float[] got = Arrays.copyOf(m.prefill(m.newSequence(), ids), 512);
                float scale = 0, err = 0;
                for (int i = 0; i < 512; i++) scale = Math.max(scale, Math.abs(want[i]));
                for (int i = 0; i < 512; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / scale);
                assertThat(err).as("%s, input %s", weights.source(), Arrays.toString(ids)).isLessThanOrEqualTo(1e-4f);
            }
        }
    }

    @Test
    void greedyTextIsRunCsTokenForToken() throws Exception {
        int[] want = expectedGreedy();
        assertThat(greedy(new LlamaInference(bin, 512, 8), 200)).containsExactly(want);
        assertThat(greedy(new LlamaInference(gguf, 512, 8), 200)).containsExactly(want);
    }

    @Test
    void promptPrefillInBlocksEqualsTokenByToken() {
        int[] prompt = {1, 403, 407, 261, 378, 300, 290, 280, 270, 260, 301};
        LlamaInference blocks = new LlamaInference(bin, 64, 4), single = new LlamaInference(bin, 64, 1);
        float[] a = Arrays.copyOf(blocks.prefill(blocks.newSequence(), prompt), 512);
        float[] b = Arrays.copyOf(single.prefill(single.newSequence(), prompt), 512);
        for (int i = 0; i < 512; i++) assertThat(a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void q8_0KeepsTheFirst50GreedyTokens() throws Exception {
        try (LlamaWeights q8 = bin.convert(QuantFormat.Q8_0)) {
            // dim 64 fills Q8_0 blocks; the down projection's 172-wide rows do not and stay F32 (as llama.cpp does)
            assertThat(q8.layers()[0].wq().format()).isEqualTo(QuantFormat.Q8_0);
            assertThat(q8.layers()[0].down().format()).isEqualTo(QuantFormat.F32);
            assertThat(greedy(new LlamaInference(q8, 512, 8), 50)).containsExactly(Arrays.copyOf(expectedGreedy(), 50));
        }
    }

    @Test
    void batchedDecodeEqualsSeparateSequences() {
        LlamaInference m = new LlamaInference(bin, 64, 8);
        SequenceState a = m.newSequence(), b = m.newSequence(KvPrecision.F16);
        m.prefill(a, new int[] {1, 403});
        m.prefill(b, new int[] {1, 407, 261});
        float[] both = Arrays.copyOf(m.forwardBatch(List.of(a, b), new int[] {300, 301}), 1024);
        LlamaInference ref = new LlamaInference(bin, 64, 8);
        float[] ra = Arrays.copyOf(ref.prefill(ref.newSequence(), new int[] {1, 403, 300}), 512);
        float[] rb = Arrays.copyOf(ref.prefill(ref.newSequence(), new int[] {1, 407, 261, 301}), 512);
        for (int i = 0; i < 512; i++) {
            assertThat(both[i]).isCloseTo(ra[i], org.assertj.core.data.Offset.offset(1e-4f));
            // b's cache is F16: keys/values rounded to 11 bits
            assertThat(both[512 + i]).isCloseTo(rb[i], org.assertj.core.data.Offset.offset(2e-2f));
        }
        assertThat(a.length()).isEqualTo(3);
        assertThat(b.length()).isEqualTo(4);
    }

    @Test
    void promptLongerThanTheContextNamesTheNumbers() {
        LlamaInference m = new LlamaInference(bin, 16, 8);
        assertThatThrownBy(() -> m.prefill(m.newSequence(), new int[20]))
                .hasMessageContaining("stories260K.bin").hasMessageContaining("20").hasMessageContaining("16-token context");
    }
}
