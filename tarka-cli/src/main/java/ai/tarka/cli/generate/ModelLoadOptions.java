package ai.tarka.cli.generate;

import ai.tarka.inference.KvPrecision;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How the commands that run a model on the inference path load it ({@code tarka generate}, {@code tarka chat}):
 * context length, KV-cache precision and re-encoding the weights on load. Add with {@code @Mixin}.
 */
public final class ModelLoadOptions {
    @Option(names = "--context", defaultValue = "0", description = "Context length in tokens (default: the model's, at most 4096).")
    int context;

    @Option(names = "--kv-cache", defaultValue = "f32", description = "KV cache precision: f32 or f16 (default: ${DEFAULT-VALUE}).")
    String kvCache;

    @Option(names = "--quantize", description = "Re-encode the weights on load: q8_0, q4_0, nf4, f16 or bf16.")
    String quantize;

    /** The KV-cache precision; {@code command} names the command in the error. */
    public KvPrecision kvPrecision(String command) {
        return switch (kvCache.toLowerCase(Locale.ROOT)) {
            case "f32" -> KvPrecision.F32;
            case "f16" -> KvPrecision.F16;
            default -> throw new IllegalArgumentException(command + ": --kv-cache must be f32 or f16, got " + kvCache);
        };
    }

    /** The context to run with: {@code --context}, else the model's positions capped at 4096. */
    public int context(LlamaWeights weights) {
        return context > 0 ? context : Math.min(weights.config().maxPositions(), 4096);
    }

    /** The model's weights, re-encoded when {@code --quantize} asks; closing releases both. */
    public Loaded load(Path model) {
        LlamaWeights loaded = ModelLoader.load(model, context);
        try {
            return new Loaded(loaded, quantize == null ? loaded : loaded.convert(Formats.parse(quantize)));
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** The weights as stored and as used (the same object unless re-encoded). */
    public record Loaded(LlamaWeights stored, LlamaWeights weights) implements AutoCloseable {
        @Override
        public void close() {
            if (weights != stored) weights.close();
            stored.close();
        }
    }
}
