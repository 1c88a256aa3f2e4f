package ai.tarka.finetune.qlora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Losses;
import ai.tarka.engine.RopeScaling;
import ai.tarka.engine.Tensor;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.finetune.lora.LoraLayer;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.nn.layers.Linear;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QLoraTest {

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1L, 7, 24, 3), Arguments.of(2L, 33, 70, 5), Arguments.of(3L, 300, 129, 2),
                Arguments.of(4L, 5, 64, 1));
    }

    static float[] randn(Random rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * std);
        return a;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void roundTripMatchesTheDefinition(long seed, int out, int in, int rows) {
        Random rng = new Random(seed);
        float[] w = randn(rng, out * in, 0.5);
        if (out > 10) w[3] = 7f; // an outlier block
        float[] expected = Nf4Reference.roundTrip(w, out, in);
        float[] actual = Nf4Weight.quantize(w, out, in).dequantize();
        for (int i = 0; i < w.length; i++) assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void productAndInputGradientMatchTheDequantisedWeight(long seed, int out, int in, int rows) {
        Random rng = new Random(seed);
        Nf4Weight q = Nf4Weight.quantize(randn(rng, out * in, 0.3), out, in);
        Tensor w = Tensor.of(q.dequantize(), out, in);
        float[] xv = randn(rng, rows * 2 * in, 1);
        Tensor x1 = Tensor.of(xv.clone(), rows, 2, in).requiresGrad(true), x2 = Tensor.of(xv.clone(), rows, 2, in).requiresGrad(true);
        Tensor g = Tensor.of(randn(rng, rows * 2 * out, 1), rows, 2, out);
        Tensor y1 = q.matmul(null, x1);
        Tensor y2 = x2.reshape(-1, in).matmul(w.t()).reshape(rows, 2, out);
        assertThat(y1.toArray()).containsExactly(y2.toArray(), org.assertj.core.data.Offset.offset(1e-4f));
        y1.mul(g).sum().backward();
        y2.mul(g).sum().backward();
        assertThat(x1.grad().toArray()).containsExactly(x2.grad().toArray(), org.assertj.core.data.Offset.offset(1e-4f));
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(5L, new ModelConfig(ModelArchitecture.LLAMA, 50, 24, 2, 4, 2, 36, 32, 1e-5, 10000,
                        RopeScaling.none(), false, false, 0, 0, 0, 1), false),
                Arguments.of(6L, new ModelConfig(ModelArchitecture.LLAMA, 50, 76, 1, 2, 1, 90, 32, 1e-5, 10000,
                        RopeScaling.none(), true, false, 0, 0, 0, 1), true));
    }

    @ParameterizedTest
    @MethodSource("models")
    void adapterGradientsEqualLoraOverTheDequantisedBase(long seed, ModelConfig config, boolean dora) {
        LoraConfig lc = new LoraConfig(4, 8, 0, List.of(), null, true, "none", false, dora, List.of(), "false", seed);
        CausalLm a = Models.create(config, seed), b = Models.create(config, seed);
        LoraModel q = QLora.wrap(a, lc, null);
        // the reference: the same base with each targeted weight replaced by its NF4 round trip, fp32 LoRA
        for (var e : q.adapters().entrySet()) {
            Linear layer = (Linear) b.module().namedModules().get(e.getKey());
            Tensor deq = e.getValue().base().dense(layer);
            ai.tarka.engine.Strided.assign(layer.weight().tensor().detach(), deq);
        }
        LoraModel l = LoraModel.wrap(b, lc, null);
        Random rng = new Random(seed);
        int batch = 2, t = 9;
        int[] tokens = new int[batch * t], targets = new int[batch * t];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(config.vocabSize());
            targets[i] = rng.nextInt(config.vocabSize());
        }
        Tensor la = q.forward(tokens, null, batch, t), lb = l.forward(tokens, null, batch, t);
        assertThat(la.toArray()).containsExactly(lb.toArray(), org.assertj.core.data.Offset.offset(1e-4f));
        Losses.crossEntropy(la, targets, -100).backward();
        Losses.crossEntropy(lb, targets, -100).backward();
        for (var e : q.adapters().entrySet()) {
            LoraLayer ref = l.adapters().get(e.getKey());
            assertThat(e.getValue().loraA().weight().grad().toArray()).as(e.getKey() + " A")
                    .containsExactly(ref.loraA().weight().grad().toArray(), org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(e.getValue().loraB().weight().grad().toArray()).as(e.getKey() + " B")
                    .containsExactly(ref.loraB().weight().grad().toArray(), org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(e.getValue().loraA().weight().grad().toArray()).as("non-trivial").isNotEqualTo(new float[e.getValue().loraA().weight().numel()]);
            Linear layer = (Linear) a.module().namedModules().get(e.getKey());
            assertThat(layer.weight().tensor().data()).as("fp32 weight dropped").hasSize(1);
        }
        // merging writes the dequantised base plus the update back into real weights
        float[] adapted = q.forward(tokens, null, batch, t).toArray();
        assertThat(q.merge().forward(tokens, null, batch, t).toArray()).containsExactly(adapted, org.assertj.core.data.Offset.offset(1e-4f));
    }
}
