package ai.tarka.finetune.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.RopeScaling;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.train.MicroBatch;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Packed rows never attend across samples: changing one sample leaves the other's logits exactly as they were. */
class PackedAttentionTest {

    static Stream<Arguments> models() {
        ModelConfig llama = new ModelConfig(ModelArchitecture.LLAMA, 100, 24, 2, 4, 2, 36, 64, 1e-5, 10000,
                RopeScaling.none(), false, false, 0, 0, 0, 1);
        return Stream.of(Arguments.of("llama", llama, 11L), Arguments.of("gpt2", ModelConfig.gpt2(100, 64, 2, 3, 18), 12L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void changingOneSampleDoesNotMoveTheOthersLogits(String name, ModelConfig config, long seed) {
        Random rng = new Random(seed);
        CausalLm model = Models.create(config, seed);
        TokenizedSample a = PackedRowsTest.samples(rng, 1, 12).get(0), b = PackedRowsTest.samples(rng, 1, 15).get(0);
        TokenizedSample a2 = new TokenizedSample(a.tokens().clone(), a.trained());
        for (int i = 0; i < a2.length(); i++) a2.tokens()[i] = 5 + rng.nextInt(90);
        int seqLen = 31;
        float[] before = logitsOf(model, List.of(a, b), seqLen, 1);
        float[] after = logitsOf(model, List.of(a2, b), seqLen, 1);
        float[] alone = logitsOf(model, List.of(b), seqLen, 0);
        assertThat(after).containsExactly(before);
        assertThat(alone).containsExactly(before, org.assertj.core.data.Offset.offset(1e-5f));
    }

    /** Logits at the positions of sample {@code which}, packed with the others into one row. */
    private static float[] logitsOf(CausalLm model, List<TokenizedSample> samples, int seqLen, int which) {
        PackedRows rows = PackedRows.build(samples, seqLen, true, 0);
        assertThat(rows.size()).isEqualTo(1);
        MicroBatch mb = rows.batch(new int[] {0}, 0);
        Tensor logits = model.forward(mb.inputs(), mb.positions(), 1, seqLen);
        int v = model.config().vocabSize();
        int[] ids = rows.sampleIds(0);
        float[] all = logits.toArray();
        int n = samples.get(which).length();
        float[] out = new float[n * v];
        int k = 0;
        for (int i = 0; i < seqLen; i++) {
            if (ids[i] == which) System.arraycopy(all, i * v, out, (k++) * v, v);
        }
        assertThat(k).isEqualTo(n);
        return out;
    }
}
