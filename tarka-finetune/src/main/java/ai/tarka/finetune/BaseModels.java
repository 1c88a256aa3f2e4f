package ai.tarka.finetune;

import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads the model to fine-tune from any source Tarka reads, with Hugging Face parameter names whatever the file:
 * a folder with {@code config.json} and {@code model.safetensors} (Tarka checkpoints and HF GPT-2 / Llama-family
 * exports), a GGUF {@code llama} file, or a llama2.c {@code .bin} checkpoint.
 */
public final class BaseModels {
    private BaseModels() {}

    /** @param minPositions the model gets at least this many positions (GGUF files may declare fewer) */
    public static CausalLm load(Path source, int minPositions) {
        String name = source.getFileName() == null ? "" : source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(source)) {
            Path config = source.resolve("config.json"), weights = source.resolve("model.safetensors");
            if (!Files.isRegularFile(config) || !Files.isRegularFile(weights)) {
                throw new IllegalArgumentException("base model " + source + " needs config.json and model.safetensors");
            }
            CausalLm model = Models.empty(HfModelConfig.read(config));
            ModelWeights.load(model, weights);
            return model;
        }
        if (!Files.isRegularFile(source)) throw new IllegalArgumentException("base model " + source + " does not exist");
        if (name.endsWith(".gguf")) return LlamaCheckpoints.loadGguf(source, minPositions);
        if (name.endsWith(".bin")) return LlamaCheckpoints.loadLlama2c(source);
        throw new IllegalArgumentException("base model " + source + ": expected a folder (config.json + model.safetensors), "
                + "a .gguf or a llama2.c .bin file");
    }
}
