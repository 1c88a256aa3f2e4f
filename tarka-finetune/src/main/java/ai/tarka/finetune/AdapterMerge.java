package ai.tarka.finetune;

import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.finetune.lora.PeftAdapters;
import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.ModelWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** {@code tarka merge}: folds a PEFT LoRA adapter into its base and writes a plain Hugging Face checkpoint. */
public final class AdapterMerge {
    private AdapterMerge() {}

    /** @return the merged model, also written to {@code out} as config.json + model.safetensors */
    public static CausalLm merge(Path base, Path adapter, Path out, Consumer<String> warnings) {
        CausalLm model = BaseModels.load(base, 1);
        LoraModel lora = PeftAdapters.load(model, adapter, warnings);
        CausalLm merged = lora.merge();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot create: " + e.getMessage(), e);
        }
        HfModelConfig.write(merged.config(), out.resolve("config.json"));
        ModelWeights.save(merged, out.resolve("model.safetensors"));
        return merged;
    }
}
