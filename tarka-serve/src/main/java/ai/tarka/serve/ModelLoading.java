package ai.tarka.serve;

import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chat.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the model, tokenizer and chat template {@code tarka serve} was pointed at. */
public final class ModelLoading {
    private ModelLoading() {}

    /** A loaded model with what serving it needs. */
    public record Loaded(CausalLm model, TextTokenizer tokenizer, ChatTemplate chatTemplate, String name) {}

    public static Loaded load(Path model, Path tokenizer, int minPositions) {
        String file = model.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        CausalLm lm;
        TextTokenizer tok;
        ChatTemplate template = null;
        if (Files.isDirectory(model)) {
            Path config = model.resolve("config.json");
            Path weights = model.resolve("model.safetensors");
            if (!Files.isRegularFile(config) || !Files.isRegularFile(weights)) {
                throw new IllegalArgumentException("model folder " + model + " needs config.json and model.safetensors");
            }
            lm = Models.empty(HfModelConfig.read(config));
            ModelWeights.load(lm, weights);
            tok = TokenizerLoader.load(tokenizer != null ? tokenizer : model);
            Path tc = model.resolve("tokenizer_config.json");
            if (Files.isRegularFile(tc)) {
                try {
                    template = ChatTemplate.fromTokenizerConfig(tc);
                } catch (RuntimeException noTemplate) {
                    template = null;     // a base model's tokenizer_config.json has no chat_template
                }
            }
        } else if (lower.endsWith(".gguf")) {
            lm = LlamaCheckpoints.loadGguf(model, minPositions);
            tok = TokenizerLoader.load(tokenizer != null ? tokenizer : model);
        } else if (lower.endsWith(".bin")) {
            lm = LlamaCheckpoints.loadLlama2c(model);
            Path t = tokenizer != null ? tokenizer : siblingTokenizer(model);
            tok = TokenizerLoader.load(t);
        } else {
            throw new IllegalArgumentException("model " + model + ": expected a .gguf file, a llama2.c .bin or a folder "
                    + "with config.json and model.safetensors");
        }
        String name = file.replaceFirst("(?i)\\.(gguf|bin)$", "");
        return new Loaded(lm, tok, template, name);
    }

    private static Path siblingTokenizer(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        for (String n : new String[] {"tokenizer.bin", "tok512.bin", "tokenizer.json"}) {
            if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        }
        throw new IllegalArgumentException("model " + model + ": no tokenizer next to it (tokenizer.bin); pass --tokenizer");
    }
}
