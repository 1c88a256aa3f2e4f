package ai.tarka.serve;

import ai.tarka.inference.LayerWeights;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.inference.WeightMatrix;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
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

    /**
     * A loaded model with what serving it needs: exactly one of {@code model} (F32, for {@code PanelWeights}) and
     * {@code weights} (tarka-inference's weights, quantised ones used where they were mapped; the server closes them).
     */
    public record Loaded(CausalLm model, LlamaWeights weights, TextTokenizer tokenizer, ChatTemplate chatTemplate, String name) {
        public ModelConfig config() {
            return model != null ? model.config() : weights.config();
        }
    }

    public static Loaded load(Path model, Path tokenizer, int minPositions) {
        return load(model, tokenizer, minPositions, null);
    }

    /**
     * Opens {@code model}. With {@code quantize}, or for a GGUF file whose projections are stored quantised, the weights
     * come from tarka-inference's loader (mapped, re-encoded in {@code quantize} if given) and are never expanded to
     * F32; otherwise the model is built as an F32 {@link CausalLm}.
     */
    public static Loaded load(Path model, Path tokenizer, int minPositions, QuantFormat quantize) {
        String file = model.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        LlamaWeights weights = quantize != null || lower.endsWith(".gguf") ? quantizedWeights(model, minPositions, quantize) : null;
        try {
            return load(model, file, lower, tokenizer, minPositions, weights);
        } catch (RuntimeException e) {
            if (weights != null) weights.close();
            throw e;
        }
    }

    /** The inference path's weights when they are to be served quantised, else null (an all-F32 GGUF). */
    private static LlamaWeights quantizedWeights(Path model, int minPositions, QuantFormat quantize) {
        LlamaWeights stored;
        try {
            stored = ModelLoader.load(model, minPositions);
        } catch (RuntimeException e) {
            if (quantize != null) throw e;
            return null;    // not a GGUF the inference path reads: the F32 loader reports what is wrong with it
        }
        if (quantize == null) {
            if (isQuantized(stored)) return stored;
            stored.close();
            return null;
        }
        try {
            LlamaWeights q = stored.convert(quantize);
            // unconverted matrices are shared with the stored weights, which therefore stay open as long as q
            return new LlamaWeights(q.config(), q.rope(), q.embedding(), q.layers(), q.finalNorm(), q.output(), q.source(),
                    () -> {
                        q.close();
                        stored.close();
                    });
        } catch (RuntimeException e) {
            stored.close();
            throw e;
        }
    }

    private static boolean isQuantized(LlamaWeights w) {
        if (w.output().format() != QuantFormat.F32) return true;
        for (LayerWeights l : w.layers()) for (WeightMatrix m : l.matrices()) if (m.format() != QuantFormat.F32) return true;
        return false;
    }

    private static Loaded load(Path model, String file, String lower, Path tokenizer, int minPositions, LlamaWeights weights) {
        CausalLm lm = null;
        TextTokenizer tok;
        ChatTemplate template = null;
        if (Files.isDirectory(model)) {
            Path config = model.resolve("config.json");
            if (!Files.isRegularFile(config) || !Files.isRegularFile(model.resolve("model.safetensors"))) {
                throw new IllegalArgumentException("model folder " + model + " needs config.json and model.safetensors");
            }
            if (weights == null) {
                lm = Models.empty(HfModelConfig.read(config));
                ModelWeights.load(lm, model.resolve("model.safetensors"));
            }
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
            if (weights == null) lm = LlamaCheckpoints.loadGguf(model, minPositions);
            tok = TokenizerLoader.load(tokenizer != null ? tokenizer : model);
        } else if (lower.endsWith(".bin")) {
            if (weights == null) lm = LlamaCheckpoints.loadLlama2c(model);
            Path t = tokenizer != null ? tokenizer : siblingTokenizer(model);
            tok = TokenizerLoader.load(t);
        } else {
            throw new IllegalArgumentException("model " + model + ": expected a .gguf file, a llama2.c .bin or a folder "
                    + "with config.json and model.safetensors");
        }
        String name = file.replaceFirst("(?i)\\.(gguf|bin)$", "");
        return new Loaded(lm, weights, tok, template, name);
    }

    private static Path siblingTokenizer(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        for (String n : new String[] {"tokenizer.bin", "tok512.bin", "tokenizer.json"}) {
            if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        }
        throw new IllegalArgumentException("model " + model + ": no tokenizer next to it (tokenizer.bin); pass --tokenizer");
    }
}
