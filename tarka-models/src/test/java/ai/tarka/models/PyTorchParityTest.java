package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.Losses;
import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.train.TrainingStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with PyTorch on the fixtures of {@code bench/pytorch/make_parity_fixtures.py}: the same fp32 weights (HF
 * names and layouts, loaded through {@link ModelWeights}), the same token batch; PyTorch computes the references in
 * float64 from those weights, so the measured error is Tarka's fp32 error alone. Logits and every parameter gradient
 * must agree within 1e-4 by {@link Closeness}, and the losses of 5 AdamW steps within 1e-4 relative.
 */
class PyTorchParityTest {
    static final double TOLERANCE = 1e-4;

    record Fixture(CausalLm model, JsonNode ref, Map<String, Tensor> expected, int[] ids, int[] targets, int batch, int seqLen) {}

    static Fixture load(String name) throws IOException, URISyntaxException {
        Path dir = Path.of(PyTorchParityTest.class.getResource("/parity/" + name).toURI());
        ModelConfig config = HfModelConfig.read(dir.resolve("config.json"));
        CausalLm model = Models.empty(config);
        try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            ModelWeights.load(model, weights);
        }
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try (SafetensorsFile r = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            for (TensorEntry e : r.entries()) expected.put(e.name(), Tensor.of(r.readFloats(e.name()), e.intShape()));
        }
        return new Fixture(model, ref, expected,
                ints(ref.get("input_ids")), ints(ref.get("targets")), ref.get("batch").intValue(), ref.get("seq_len").intValue());
    }

    private static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).intValue();
        return a;
    }

    private static Tensor loss(Fixture f) {
        return Losses.crossEntropy(f.model.forward(f.ids, null, f.batch, f.seqLen), f.targets, -100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "mistral", "qwen2"})
    void logitsLossAndEveryGradientMatchPyTorch(String name) throws Exception {
        Fixture f = load(name);
        Tensor logits = f.model.forward(f.ids, null, f.batch, f.seqLen);
        double logitErr = Closeness.maxRelativeError(logits, f.expected.get("logits"));
        Tensor loss = Losses.crossEntropy(logits, f.targets, -100);
        loss.backward();
        LinkedHashMap<String, Tensor> grads = ModelWeights.exportGradients(f.model);
        double scale = 0;
        for (var e : f.expected.entrySet()) if (e.getKey().startsWith("grad.")) scale = Math.max(scale, Closeness.maxAbs(e.getValue().toArray()));
        double worstGrad = 0, worstOwnFloor = 0;
        String worstName = "";
        for (var e : grads.entrySet()) {
            Tensor want = f.expected.get("grad." + e.getKey());
            assertThat(want).as("reference gradient of %s", e.getKey()).isNotNull();
            double err = Closeness.maxRelativeError(e.getValue().toArray(), want.toArray(), scale);
            assertThat(err).as("%s: gradient of %s", name, e.getKey()).isLessThanOrEqualTo(TOLERANCE);
            worstOwnFloor = Math.max(worstOwnFloor, Closeness.maxRelativeError(e.getValue(), want));
            if (err >= worstGrad) {
                worstGrad = err;
                worstName = e.getKey();
            }
        }
        assertThat(grads).hasSize(f.expected.size() - 1);
        double lossErr = Math.abs(loss.item() - f.ref.get("loss").doubleValue()) / Math.abs(f.ref.get("loss").doubleValue());
        System.out.printf("parity %s: logits %.2e, loss %.2e, worst gradient %.2e (%s); with per-tensor floors %.2e%n",
                name, logitErr, lossErr, worstGrad, worstName, worstOwnFloor);
        assertThat(logitErr).as("%s logits", name).isLessThanOrEqualTo(TOLERANCE);
        assertThat(lossErr).as("%s loss", name).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "mistral", "qwen2"})
    void fiveAdamWStepsGiveTheSameLosses(String name) throws Exception {
        Fixture f = load(name);
        JsonNode h = f.ref.get("adamw");
        ParameterBuffer buffer = ParameterBuffer.flatten(f.model.module());
        AdamW opt = AdamW.builder(buffer).lr(h.get("lr").doubleValue())
                .betas(h.get("beta1").doubleValue(), h.get("beta2").doubleValue())
                .eps(h.get("eps").doubleValue()).weightDecay(h.get("weight_decay").doubleValue()).build();
        TrainingStep step = new TrainingStep(opt, Double.POSITIVE_INFINITY);
        JsonNode want = f.ref.get("adamw_losses");
        double worst = 0;
        for (int i = 0; i < h.get("steps").intValue(); i++) {
            Tensor loss = loss(f);
            double err = Math.abs(loss.item() - want.get(i).doubleValue()) / Math.abs(want.get(i).doubleValue());
            assertThat(err).as("%s: loss of AdamW step %d (%.6f vs %.6f)", name, i + 1, loss.item(), want.get(i).doubleValue())
                    .isLessThanOrEqualTo(TOLERANCE);
            worst = Math.max(worst, err);
            step.microBatch(loss, f.ids.length);
            step.finish();
        }
        System.out.printf("parity %s: 5 AdamW losses, worst relative error %.2e%n", name, worst);
    }
}
