package ai.tarka.eval.lm;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.tensors.TensorSource;
import ai.tarka.formats.tensors.TensorSources;
import ai.tarka.models.CausalLm;
import ai.tarka.models.HfModelConfig;
import ai.tarka.models.LlamaCheckpoints;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.Models;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model for evaluation through tarka-models:
 * <ul>
 *   <li>{@code stories260K}: the shared-data llama2.c model (its GGUF weights and {@code tok512.bin})</li>
 *   <li>a {@code .gguf} file (Llama family): config from its metadata, tokenizer from the file unless given</li>
 *   <li>a Hugging Face folder: {@code config.json}, safetensors, and {@code tokenizer.json} (or the given tokenizer)</li>
 * </ul>
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static CausalLmScorer load(String spec, Path tokenizerOverride) {
        if (spec.equalsIgnoreCase("stories260K")) {
            Path dir = SharedData.resolve("stories260K");
            return fromGguf("stories260K", dir.resolve("stories260K.gguf"),
                    tokenizerOverride != null ? tokenizerOverride : dir.resolve("tok512.bin"), 512);
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("model '" + spec + "': no such file or folder (give stories260K, a .gguf "
                    + "file, or a Hugging Face folder with config.json)");
        }
        String name = path.getFileName().toString();
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            return fromGguf(name.replaceFirst("(?i)\\.gguf$", ""), path, tokenizerOverride != null ? tokenizerOverride : path, 0);
        }
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"))) {
            ModelConfig config = HfModelConfig.read(path.resolve("config.json"));
            CausalLm model = Models.empty(config);
            try (TensorSource source = TensorSources.open(path)) {
                ModelWeights.load(model, source);
            }
            TextTokenizer tok = TokenizerLoader.load(tokenizerOverride != null ? tokenizerOverride : path);
            int eos = config.eosTokenId() >= 0 ? config.eosTokenId() : TokenizerLoader.eosId(tok);
            // a trainer's checkpoint-STEP folder is named after its run: out/run/checkpoint-600 -> run/checkpoint-600
            String label = name.startsWith("checkpoint-") && path.toAbsolutePath().getParent() != null
                    ? path.toAbsolutePath().getParent().getFileName() + "/" + name : name;
            return new CausalLmScorer(label, model, tok, config.bosTokenId(), eos);
        }
        throw new IllegalArgumentException("model '" + spec + "': not a .gguf file nor a folder with config.json");
    }

    private static CausalLmScorer fromGguf(String name, Path file, Path tokenizer, int minPositions) {
        GgufFile gguf = GgufFile.open(file);
        ModelConfig config = LlamaCheckpoints.ggufConfig(gguf, minPositions);
        CausalLm model = Models.empty(config);
        try (TensorSource source = TensorSources.open(file)) {
            ModelWeights.load(model, LlamaCheckpoints.fromGguf(source, config));
        }
        TextTokenizer tok = TokenizerLoader.load(tokenizer);
        return new CausalLmScorer(name, model, tok, config.bosTokenId(), config.eosTokenId());
    }
}
