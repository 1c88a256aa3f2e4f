package ai.tarka.models;

import ai.tarka.engine.RopeScaling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes Hugging Face {@code config.json} for GPT-2 ({@code model_type: gpt2}) and the Llama family
 * ({@code llama}, {@code mistral}, {@code qwen2}), with each family's defaults for absent keys as in
 * {@code transformers}. Keys Tarka does not use are ignored; a key of the wrong type or an unsupported value is an
 * error naming the file and the key.
 *
 * <p>Where Tarka's config is narrower: a list {@code eos_token_id} (Llama 3) keeps its first id; Llama's
 * {@code attention_bias} becomes q/k/v biases (the Qwen2 form; a checkpoint that also has an {@code o_proj.bias}
 * then fails to load, naming the tensor).
 */
public final class HfModelConfig {
    private HfModelConfig() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The model config that {@code configJson} describes. */
    public static ModelConfig read(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(configJson + ": cannot read config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(configJson + ": config is not a JSON object");
        Keys k = new Keys(configJson, root);
        String type = k.string("model_type", null);
        if (type == null) throw new IllegalArgumentException(configJson + ": key 'model_type' is missing");
        try {
            return switch (type) {
                case "gpt2" -> gpt2(k);
                case "llama" -> llama(k, 32000, 4096, 11008, -1, 2048, 1e-6, false, 0, true);
                case "mistral" -> llama(k, 32000, 4096, 14336, 8, 4096 * 32, 1e-6, false, 4096, false);
                case "qwen2" -> llama(k, 151936, 4096, 22016, 32, 32768, 1e-6, true, 0, false);
                case "tarka_encoder" -> encoder(k);
                default -> throw new IllegalArgumentException(configJson + ": key 'model_type': unsupported value '" + type
                        + "' (supported: gpt2, llama, mistral, qwen2, tarka_encoder)");
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(configJson.toString())) throw e;
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    private static ModelConfig gpt2(Keys k) {
        String act = k.string("activation_function", "gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
            throw k.error("activation_function", "unsupported value '" + act + "' (GPT-2 here uses GELU with tanh: gelu_new)");
        }
        int width = k.integer("n_embd", 768);
        JsonNode inner = k.root.get("n_inner");
        int hidden = inner == null || inner.isNull() ? 4 * width : k.integer("n_inner", 0);
        int heads = k.integer("n_head", 12);
        return new ModelConfig(ModelArchitecture.GPT2, k.integer("vocab_size", 50257), width, k.integer("n_layer", 12),
                heads, heads, hidden, k.integer("n_positions", 1024), k.number("layer_norm_epsilon", 1e-5), 0,
                RopeScaling.none(), k.bool("tie_word_embeddings", true), true, 0, 0,
                k.firstInt("bos_token_id", 50256), k.firstInt("eos_token_id", 50256));
    }

    private static ModelConfig llama(Keys k, int vocab, int width, int inter, int defaultKv, int maxPos, double eps,
                                     boolean qkvBias, int defaultWindow, boolean hasAttentionBiasKey) {
        String act = k.string("hidden_act", "silu");
        if (!act.equals("silu")) throw k.error("hidden_act", "unsupported value '" + act + "' (the Llama family uses silu)");
        int hidden = k.integer("hidden_size", width);
        int heads = k.integer("num_attention_heads", 32);
        int kv = k.integer("num_key_value_heads", defaultKv < 0 ? heads : defaultKv);
        JsonNode headDim = k.root.get("head_dim");
        if (headDim != null && !headDim.isNull() && k.integer("head_dim", 0) * heads != hidden) {
            throw k.error("head_dim", headDim + " x num_attention_heads " + heads + " differs from hidden_size " + hidden
                    + " (not supported)");
        }
        boolean bias = hasAttentionBiasKey ? k.bool("attention_bias", false) : qkvBias;
        int window = defaultWindow;
        String type = k.string("model_type", "");
        if (type.equals("qwen2")) {
            window = k.bool("use_sliding_window", false) ? qwen2Window(k) : 0;
        } else if (type.equals("mistral")) {
            window = k.optionalInt("sliding_window", defaultWindow);
        }
        return new ModelConfig(ModelArchitecture.LLAMA, k.integer("vocab_size", vocab), hidden,
                k.integer("num_hidden_layers", 32), heads, kv, k.integer("intermediate_size", inter),
                k.integer("max_position_embeddings", maxPos), k.number("rms_norm_eps", eps), k.number("rope_theta", 10000),
                ropeScaling(k), k.bool("tie_word_embeddings", false), bias, window, 0,
                k.firstInt("bos_token_id", 1), k.firstInt("eos_token_id", 2));
    }

    /**
     * Qwen2 windows only the layers from {@code max_window_layers} on; Tarka windows all layers or none, so a split
     * is an error.
     */
    private static int qwen2Window(Keys k) {
        int layers = k.integer("num_hidden_layers", 32), from = k.integer("max_window_layers", 28);
        if (from >= layers) return 0;
        if (from > 0) {
            throw k.error("max_window_layers", from + " windows only some of the " + layers
                    + " layers (Tarka applies sliding_window to all layers or none)");
        }
        return k.optionalInt("sliding_window", 4096);
    }

    private static ModelConfig encoder(Keys k) {
        int width = k.integer("hidden_size", 256), heads = k.integer("num_attention_heads", 4);
        return new ModelConfig(ModelArchitecture.ENCODER, k.integer("vocab_size", 0), width, k.integer("num_hidden_layers", 4),
                heads, heads, k.integer("intermediate_size", 4 * width), k.integer("max_position_embeddings", 512),
                k.number("layer_norm_eps", 1e-5), 0, RopeScaling.none(), false, true, 0, k.integer("num_labels", 2),
                k.firstInt("bos_token_id", -1), k.firstInt("eos_token_id", -1));
    }

    private static RopeScaling ropeScaling(Keys k) {
        JsonNode s = k.root.get("rope_scaling");
        if (s == null || s.isNull()) return RopeScaling.none();
        if (!s.isObject()) throw k.error("rope_scaling", "must be an object or null, got " + s);
        JsonNode typeNode = s.has("rope_type") ? s.get("rope_type") : s.get("type");
        String type = typeNode == null ? null : typeNode.asText();
        Keys sk = new Keys(k.file, s, "rope_scaling.");
        if ("linear".equals(type)) return RopeScaling.linear(sk.number("factor", Double.NaN));
        if ("llama3".equals(type)) {
            return RopeScaling.llama3(sk.number("factor", Double.NaN), sk.number("low_freq_factor", 1),
                    sk.number("high_freq_factor", 4), sk.integer("original_max_position_embeddings", 8192));
        }
        if ("default".equals(type)) return RopeScaling.none();
        throw k.error("rope_scaling", "unsupported rope type '" + type + "' (supported: linear, llama3)");
    }

    /** Writes {@code config} as an HF {@code config.json} (temporary file, then an atomic move). */
    public static void write(ModelConfig config, Path configJson) {
        ObjectNode o = JSON.createObjectNode();
        switch (config.architecture()) {
            case GPT2 -> {
                o.putArray("architectures").add("GPT2LMHeadModel");
                o.put("model_type", "gpt2");
                o.put("vocab_size", config.vocabSize());
                o.put("n_embd", config.hiddenSize());
                o.put("n_layer", config.numLayers());
                o.put("n_head", config.numHeads());
                o.put("n_inner", config.intermediateSize());
                o.put("n_positions", config.maxPositions());
                o.put("layer_norm_epsilon", config.normEps());
                o.put("activation_function", "gelu_new");
                o.put("tie_word_embeddings", config.tieWordEmbeddings());
            }
            case LLAMA -> {
                // q/k/v biases are Qwen2's form (HF Llama's attention_bias also biases o_proj); a window alone is Mistral
                boolean qwen2 = config.attentionBias(), mistral = !qwen2 && config.slidingWindow() > 0;
                String type = qwen2 ? "qwen2" : mistral ? "mistral" : "llama";
                o.putArray("architectures").add(qwen2 ? "Qwen2ForCausalLM" : mistral ? "MistralForCausalLM" : "LlamaForCausalLM");
                o.put("model_type", type);
                putDecoderSizes(o, config);
                o.put("rms_norm_eps", config.normEps());
                o.put("rope_theta", config.ropeTheta());
                putRopeScaling(o, config.ropeScaling());
                o.put("hidden_act", "silu");
                o.put("tie_word_embeddings", config.tieWordEmbeddings());
                if (type.equals("llama")) o.put("attention_bias", false);
                if (mistral) o.put("sliding_window", config.slidingWindow());
                if (qwen2) {
                    o.put("use_sliding_window", config.slidingWindow() > 0);
                    if (config.slidingWindow() > 0) o.put("sliding_window", config.slidingWindow()); else o.putNull("sliding_window");
                    o.put("max_window_layers", 0);
                }
            }
            case ENCODER -> {
                o.put("model_type", "tarka_encoder");
                putDecoderSizes(o, config);
                o.put("layer_norm_eps", config.normEps());
                o.put("num_labels", config.numLabels());
            }
        }
        // null rather than absent for "none", so that reading does not substitute the family's default id
        if (config.bosTokenId() >= 0) o.put("bos_token_id", config.bosTokenId()); else o.putNull("bos_token_id");
        if (config.eosTokenId() >= 0) o.put("eos_token_id", config.eosTokenId()); else o.putNull("eos_token_id");
        o.put("torch_dtype", "float32");
        writeAtomically(o, configJson);
    }

    private static void putDecoderSizes(ObjectNode o, ModelConfig c) {
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("num_hidden_layers", c.numLayers());
        o.put("num_attention_heads", c.numHeads());
        o.put("num_key_value_heads", c.numKvHeads());
        o.put("max_position_embeddings", c.maxPositions());
    }

    private static void putRopeScaling(ObjectNode o, RopeScaling s) {
        switch (s) {
            case RopeScaling.None n -> o.putNull("rope_scaling");
            case RopeScaling.Linear l -> {
                ObjectNode r = o.putObject("rope_scaling");
                r.put("rope_type", "linear");
                r.put("factor", l.factor());
            }
            case RopeScaling.Llama3 l -> {
                ObjectNode r = o.putObject("rope_scaling");
                r.put("rope_type", "llama3");
                r.put("factor", l.factor());
                r.put("low_freq_factor", l.lowFreqFactor());
                r.put("high_freq_factor", l.highFreqFactor());
                r.put("original_max_position_embeddings", l.originalMaxPositions());
            }
        }
    }

    private static void writeAtomically(ObjectNode o, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.writeString(tmp, JSON.writeValueAsString(o) + "\n");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failure below is the error worth reporting
            }
            throw new UncheckedIOException(target + ": cannot write config: " + e.getMessage(), e);
        }
    }

    /** Typed access to a JSON object's keys with errors naming the file and the key. */
    private static final class Keys {
        final Path file;
        final JsonNode root;
        final String prefix;

        Keys(Path file, JsonNode root) {
            this(file, root, "");
        }

        Keys(Path file, JsonNode root, String prefix) {
            this.file = file;
            this.root = root;
            this.prefix = prefix;
        }

        IllegalArgumentException error(String key, String problem) {
            return new IllegalArgumentException(file + ": key '" + prefix + key + "': " + problem);
        }

        int integer(String key, int fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) return fallback;
            if (!n.canConvertToInt() || !n.isIntegralNumber()) throw error(key, "expected an integer, got " + n);
            return n.intValue();
        }

        int optionalInt(String key, int fallback) {
            JsonNode n = root.get(key);
            if (n != null && n.isNull()) return 0;
            return integer(key, fallback);
        }

        double number(String key, double fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                if (Double.isNaN(fallback)) throw error(key, "is required");
                return fallback;
            }
            if (!n.isNumber()) throw error(key, "expected a number, got " + n);
            return n.doubleValue();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isBoolean()) throw error(key, "expected true or false, got " + n);
            return n.booleanValue();
        }

        String string(String key, String fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isTextual()) throw error(key, "expected a string, got " + n);
            return n.textValue();
        }

        /** An id that may be given as a list (the first is kept); -1 when null. */
        int firstInt(String key, int fallback) {
            JsonNode n = root.get(key);
            if (n == null) return fallback;
            if (n.isNull()) return -1;
            if (n.isArray()) {
                if (n.isEmpty()) return -1;
                n = n.get(0);
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) throw error(key, "expected an integer id, got " + n);
            return n.intValue();
        }
    }
}
