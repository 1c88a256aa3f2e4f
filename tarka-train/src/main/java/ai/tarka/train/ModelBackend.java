package ai.tarka.train;

import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the trainer needs from the model and file-format modules: building a model, its {@code config.json}, and
 * reading and writing named tensors (safetensors). Kept to one small interface so the trainer does not depend on how
 * those are implemented, and so tests can inject failures (a full disk) while a checkpoint is written.
 */
public interface ModelBackend {

    /** A freshly initialised model. */
    CausalLm create(ModelConfig config, long seed);

    void writeConfig(ModelConfig config, Path file) throws IOException;

    ModelConfig readConfig(Path file) throws IOException;

    /** Writes tensors (float32) with string metadata to one file. */
    void writeTensors(Path file, Map<String, String> metadata, List<NamedArray> tensors) throws IOException;

    /** Reads every tensor of a file written by {@link #writeTensors}, by name. */
    Map<String, NamedArray> readTensors(Path file) throws IOException;

    /** Writes the model's weights to one file ({@code model.safetensors}). */
    default void writeWeights(CausalLm model, Path file) throws IOException {
        writeTensors(file, Map.of("format", "pt"), exportWeights(model));
    }

    /** Reads weights written by {@link #writeWeights} into the model. */
    default void readWeights(CausalLm model, Path file) throws IOException {
        loadWeights(model, readTensors(file));
    }

    /** The model's weights under their checkpoint names. */
    default List<NamedArray> exportWeights(CausalLm model) {
        List<NamedArray> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.module().stateDict().entrySet()) {
            out.add(new NamedArray(e.getKey(), e.getValue().shape(), e.getValue().toArray()));
        }
        return out;
    }

    /** Copies weights read from a checkpoint into the model (every parameter must be present with its shape). */
    default void loadWeights(CausalLm model, Map<String, NamedArray> weights) {
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        weights.forEach((k, v) -> state.put(k, Tensor.of(v.data(), v.shape())));
        model.module().loadStateDict(state, true);
    }
}
