package ai.tarka.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.Parameter;
import ai.tarka.nn.layers.Linear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA over pre-packed frozen weights ({@link PackedBaseWeight}, the default) must compute exactly what LoRA over the
 * layers' own fp32 weights computes, hold no fp32 copy of the frozen weights, and merge to the same weights.
 */
class PackedBaseWeightTest {

    static ModelConfig config(boolean gpt2) {
        return gpt2 ? ModelConfig.gpt2(30, 16, 2, 2, 8) : LoraOptionsTest.LLAMA;
    }

    /** q/up (Llama) or c_attn (GPT-2) adapted, B random so the adapters change the output; the rest frozen. */
    static LoraConfig lora(boolean gpt2, boolean dora) {
        List<String> targets = gpt2 ? List.of("c_attn") : List.of("q_proj", "up_proj");
        return new LoraConfig(4, 8, 0, targets, null, false, gpt2 ? "all" : "none", false, dora, List.of(), "false", 3);
    }

    @ParameterizedTest(name = "gpt2={0}")
    @ValueSource(booleans = {false, true})
    void packedLoraComputesExactlyWhatPlainLoraComputes(boolean gpt2) {
        ModelConfig cfg = config(gpt2);
        LoraModel plain = LoraModel.wrap(Models.create(cfg, 7), lora(gpt2, false), l -> BaseWeight.PLAIN, null);
        LoraModel packed = LoraModel.wrap(Models.create(cfg, 7), lora(gpt2, false), null);

        // every frozen linear, adapted or not, now multiplies packed copies and holds no fp32 weight
        Map<String, Linear> linears = linears(packed.base());
        assertThat(linears).containsKey(gpt2 ? "transformer.h.0.mlp.c_fc" : "lm_head");
        linears.forEach((name, l) -> {
            assertThat(l.replacement()).as(name).isNotNull();
            assertThat(l.weight().tensor().strides()).as(name).containsOnly(0);
        });

        int[] tokens = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        Tensor a = plain.forward(tokens, null, 2, 5), b = packed.forward(tokens, null, 2, 5);
        assertThat(b.toArray()).containsExactly(a.toArray());
        Tensor weights = random(a.shape(), 11);
        a.mul(weights).sum().backward();
        b.mul(weights).sum().backward();
        Map<String, Parameter> pa = trained(plain), pb = trained(packed);
        assertThat(pb.keySet()).containsExactlyElementsOf(pa.keySet()).isNotEmpty();
        pa.forEach((name, p) -> assertThat(pb.get(name).grad().toArray()).as(name).containsExactly(p.grad().toArray()));

        CausalLm mergedPlain = plain.merge(), mergedPacked = packed.merge();
        Map<String, Parameter> wa = mergedPlain.module().namedParameters(), wb = mergedPacked.module().namedParameters();
        wa.forEach((name, p) -> assertThat(wb.get(name).tensor().toArray()).as(name).containsExactly(p.tensor().toArray()));
        assertThat(mergedPacked.forward(tokens, null, 2, 5).toArray()).containsExactly(mergedPlain.forward(tokens, null, 2, 5).toArray());
    }

    @ParameterizedTest(name = "gradient checkpointing={0}")
    @ValueSource(booleans = {false, true})
    void gradientsMatchWithAndWithoutCheckpointing(boolean checkpointing) {
        LoraModel plain = LoraModel.wrap(Models.create(config(false), 5), lora(false, false), l -> BaseWeight.PLAIN, null);
        LoraModel packed = LoraModel.wrap(Models.create(config(false), 5), lora(false, false), null);
        packed.gradientCheckpointing(checkpointing);
        int[] tokens = {7, 7, 2, 9, 11, 0, 4, 8};
        Tensor weights = random(new int[] {1, 8, config(false).vocabSize()}, 3);
        plain.forward(tokens, null, 1, 8).mul(weights).sum().backward();
        packed.forward(tokens, null, 1, 8).mul(weights).sum().backward();
        Map<String, Parameter> pa = trained(plain), pb = trained(packed);
        pa.forEach((name, p) -> assertThat(pb.get(name).grad().toArray()).as(name).containsExactly(p.grad().toArray()));
    }

    @ParameterizedTest(name = "gpt2={0}")
    @ValueSource(booleans = {false, true})
    void doraKeepsTheWeightItReadsInEveryForward(boolean gpt2) {
        LoraModel dora = LoraModel.wrap(Models.create(config(gpt2), 2), lora(gpt2, true), null);
        LoraModel plain = LoraModel.wrap(Models.create(config(gpt2), 2), lora(gpt2, true), l -> BaseWeight.PLAIN, null);
        Map<String, Linear> linears = linears(dora.base());
        dora.adapters().keySet().forEach(name -> assertThat(linears.get(name).weight().tensor().data().length).as(name).isGreaterThan(1));
        int[] tokens = {1, 2, 3, 4};
        assertThat(dora.forward(tokens, null, 1, 4).toArray()).containsExactly(plain.forward(tokens, null, 1, 4).toArray());
    }

    private static Map<String, Linear> linears(CausalLm model) {
        Map<String, Linear> out = new LinkedHashMap<>();
        model.module().namedModules().forEach((name, m) -> {
            if (m instanceof Linear l) out.put(name, l);
        });
        return out;
    }

    private static Map<String, Parameter> trained(LoraModel m) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        m.module().namedParameters().forEach((name, p) -> {
            if (p.requiresGrad()) out.put(name, p);
        });
        return out;
    }

    private static Tensor random(int[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-1, 1);
        return Tensor.of(v, shape);
    }
}
