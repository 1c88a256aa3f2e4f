package ai.tarka.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Losses;
import ai.tarka.engine.RopeScaling;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Recomputing block activations in backward gives the gradients of the plain backward (full and LoRA, packed rows). */
class GradientCheckpointingTest {

    static Stream<Arguments> cases() {
        ModelConfig llama = new ModelConfig(ModelArchitecture.LLAMA, 40, 20, 3, 2, 1, 26, 32, 1e-5, 10000,
                RopeScaling.none(), false, false, 0, 0, 0, 1);
        ModelConfig gpt2 = ModelConfig.gpt2(40, 32, 2, 2, 14);
        return Stream.of(Arguments.of(1L, llama, false), Arguments.of(2L, llama, true), Arguments.of(3L, gpt2, false),
                Arguments.of(4L, gpt2, true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void checkpointedGradientsEqualPlainOnes(long seed, ModelConfig config, boolean lora) {
        CausalLm a = build(config, seed, lora), b = build(config, seed, lora);
        b.gradientCheckpointing(true);
        if (!lora) { // frozen-module selection of full fine-tuning
            a.module().freeze(config.architecture() == ModelArchitecture.GPT2 ? "transformer.h.0" : "model.layers.1");
            b.module().freeze(config.architecture() == ModelArchitecture.GPT2 ? "transformer.h.0" : "model.layers.1");
        }
        Random rng = new Random(seed);
        int batch = 2, t = 11;
        int[] tokens = new int[batch * t], targets = new int[batch * t], pos = new int[batch * t];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(config.vocabSize());
            targets[i] = rng.nextInt(config.vocabSize());
            pos[i] = (i % t) < 5 ? i % t : i % t - 5; // two packed samples per row
        }
        Losses.crossEntropy(a.forward(tokens, pos, batch, t), targets, -100).backward();
        Losses.crossEntropy(b.forward(tokens, pos, batch, t), targets, -100).backward();
        Map<String, Parameter> pa = a.module().namedParameters(), pb = b.module().namedParameters();
        int compared = 0;
        for (var e : pa.entrySet()) {
            Parameter q = pb.get(e.getKey());
            if (!e.getValue().requiresGrad()) {
                assertThat(q.grad()).as(e.getKey()).isNull();
                continue;
            }
            assertThat(q.grad()).as(e.getKey()).isNotNull();
            assertThat(q.grad().toArray()).as(e.getKey())
                    .containsExactly(e.getValue().grad().toArray(), org.assertj.core.data.Offset.offset(1e-6f));
            compared++;
        }
        assertThat(compared).isPositive();
    }

    private static CausalLm build(ModelConfig config, long seed, boolean lora) {
        CausalLm base = Models.create(config, seed);
        if (!lora) return base;
        return LoraModel.wrap(base, new LoraConfig(3, 6, 0, List.of(), null, true, "none", false, false, List.of(), "false", seed), null);
    }
}
