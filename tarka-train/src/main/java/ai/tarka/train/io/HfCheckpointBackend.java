package ai.tarka.train.io;

import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.formats.safetensors.ShardedSafetensors;
import ai.tarka.formats.tensors.TensorSource;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import ai.tarka.train.ModelBackend;
import ai.tarka.train.NamedArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link ModelBackend}: models from {@link Models}, Hugging Face {@code config.json} through
 * {@link HfModelConfig}, weights under their HF names and layouts through {@link ModelWeights}, and every tensor file
 * as safetensors (F32, so a resumed run continues from bit-identical weights and moments).
 */
public final class HfCheckpointBackend implements ModelBackend {

    @Override
    public CausalLm create(ModelConfig config, long seed) {
        return Models.create(config, seed);
    }

    @Override
    public void writeConfig(ModelConfig config, Path file) {
        HfModelConfig.write(config, file);
    }

    @Override
    public ModelConfig readConfig(Path file) {
        return HfModelConfig.read(file);
    }

    @Override
    public void writeTensors(Path file, Map<String, String> metadata, List<NamedArray> tensors) {
        List<NamedTensor> out = new ArrayList<>(tensors.size());
        for (NamedArray t : tensors) out.add(new NamedTensor(t.name(), t.shape(), t.data()));
        SafetensorsWriter.write(file, metadata, out);
    }

    @Override
    public Map<String, NamedArray> readTensors(Path file) {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorEntry e : f.entries()) {
                long[] s = e.shape();
                int[] shape = new int[s.length];
                for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
                out.put(e.name(), new NamedArray(e.name(), shape, f.readFloats(e.name())));
            }
        }
        return out;
    }

    @Override
    public void writeWeights(CausalLm model, Path file) {
        List<NamedTensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : ModelWeights.export(model).entrySet()) {
            out.add(new NamedTensor(e.getKey(), e.getValue().shape(), e.getValue().toArray()));
        }
        SafetensorsWriter.write(file, Map.of("format", "pt"), out);
    }

    /** Reads {@code model.safetensors}, or the sharded set its folder's {@code model.safetensors.index.json} lists. */
    @Override
    public void readWeights(CausalLm model, Path file) {
        Path index = file.resolveSibling("model.safetensors.index.json");
        try (TensorSource source = !Files.exists(file) && Files.exists(index) ? ShardedSafetensors.open(index) : SafetensorsFile.open(file)) {
            ModelWeights.load(model, source);
        }
    }
}
