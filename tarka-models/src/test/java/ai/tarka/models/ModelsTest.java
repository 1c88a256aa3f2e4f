package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Losses;
import ai.tarka.engine.Tensor;
import org.junit.jupiter.api.Test;

class ModelsTest {

    private static double std(float[] v) {
        double s = 0, ss = 0;
        for (float x : v) {
            s += x;
            ss += x * x;
        }
        double m = s / v.length;
        return Math.sqrt(ss / v.length - m * m);
    }

    @Test
    void createIsDeterministicAndScalesResidualProjections() {
        ModelConfig c = ModelConfig.llama(300, 64, 4, 4, 2, 64, 96);
        CausalLm a = Models.create(c, 42), b = Models.create(c, 42), other = Models.create(c, 43);
        assertThat(ModelWeights.export(a).get("model.layers.2.mlp.up_proj.weight").toArray())
                .containsExactly(ModelWeights.export(b).get("model.layers.2.mlp.up_proj.weight").toArray())
                .isNotEqualTo(ModelWeights.export(other).get("model.layers.2.mlp.up_proj.weight").toArray());
        var p = a.module().namedParameters();
        assertThat(std(p.get("model.embed_tokens.weight").tensor().toArray())).isBetween(0.019, 0.021);
        assertThat(std(p.get("model.layers.0.mlp.gate_proj.weight").tensor().toArray())).isBetween(0.019, 0.021);
        double residual = 0.02 / Math.sqrt(8);
        assertThat(std(p.get("model.layers.3.mlp.down_proj.weight").tensor().toArray())).isBetween(residual * 0.95, residual * 1.05);
        assertThat(p.get("model.norm.weight").tensor().toArray()).containsOnly(1f);
        assertThat(std(ModelWeights.export(Models.create(TestModels.gpt2(), 1)).get("transformer.h.0.attn.c_attn.bias").toArray())).isZero();
    }

    @Test
    void freshModelsPredictNearUniformlyAndTrainThroughAutograd() {
        for (ModelConfig c : new ModelConfig[] {TestModels.gpt2(), TestModels.mistral()}) {
            CausalLm m = Models.create(c, 9);
            int[] ids = new java.util.Random(2).ints(16, 0, c.vocabSize()).toArray();
            int[] targets = new int[16];
            for (int i = 0; i < 16; i++) targets[i] = ids[(i + 1) % 16];
            Tensor loss = Losses.crossEntropy(m.forward(ids, null, 2, 8), targets, -100);
            assertThat(loss.item()).isCloseTo((float) Math.log(c.vocabSize()), org.assertj.core.data.Offset.offset(0.05f));
            loss.backward();
            for (var e : m.module().namedParameters().entrySet()) {
                assertThat(e.getValue().grad()).as("gradient of %s", e.getKey()).isNotNull();
            }
        }
    }
}
