package ai.tarka.finetune;

import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.finetune.lora.PeftAdapters;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.train.ModelBackend;
import ai.tarka.train.NamedArray;
import ai.tarka.train.io.HfCheckpointBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelBackend} that lets the pretraining {@code Trainer} run fine-tuning unchanged: "creating" the model
 * returns the base already loaded (and wrapped with adapters); reading the base's weights is a no-op; checkpoints of
 * an adapter run hold the adapter in PEFT's format ({@code adapter_config.json}, {@code adapter_model.safetensors})
 * instead of {@code model.safetensors}, and resuming reads it back from there. Full fine-tuning checkpoints are plain
 * Hugging Face checkpoints. An adapter model is handed over as its {@link TrainedPart}, so only the trained
 * parameters enter the optimiser's buffers.
 */
final class FinetuneBackend implements ModelBackend {
    private final CausalLm model;
    private final Path outputDir;
    private final String baseName;
    private final HfCheckpointBackend files = new HfCheckpointBackend();

    FinetuneBackend(CausalLm model, Path outputDir, String baseName) {
        this.model = model instanceof LoraModel lora ? TrainedPart.of(lora) : model;
        this.outputDir = outputDir.toAbsolutePath().normalize();
        this.baseName = baseName;
    }

    @Override
    public CausalLm create(ModelConfig config, long seed) {
        return model;
    }

    @Override
    public void writeConfig(ModelConfig config, Path file) {
        files.writeConfig(config, file);
    }

    @Override
    public ModelConfig readConfig(Path file) {
        return model.config();
    }

    @Override
    public void writeTensors(Path file, Map<String, String> metadata, List<NamedArray> tensors) {
        files.writeTensors(file, metadata, tensors);
    }

    @Override
    public Map<String, NamedArray> readTensors(Path file) {
        return files.readTensors(file);
    }

    @Override
    public void writeWeights(CausalLm m, Path file) {
        if (m instanceof TrainedPart part) {
            PeftAdapters.save(part.lora(), file.getParent(), baseName);
        } else {
            files.writeWeights(m, file);
        }
    }

    @Override
    public void readWeights(CausalLm m, Path file) throws IOException {
        if (!file.toAbsolutePath().normalize().startsWith(outputDir)) return; // the base: loaded already
        if (m instanceof TrainedPart part) {
            PeftAdapters.loadWeights(part.lora(), file.resolveSibling(PeftAdapters.WEIGHTS));
        } else {
            files.readWeights(m, file);
        }
    }
}
