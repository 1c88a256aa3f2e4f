package ai.tarka.train.config;

import ai.tarka.models.ModelArchitecture;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads and validates {@code train.yaml} before anything runs: unknown keys are rejected with the closest valid
 * name, values are type- and range-checked, and every error names the file, the key and its line. Relative paths
 * stay relative to the working directory, as in Axolotl.
 */
public final class TrainConfigReader {
    private TrainConfigReader() {}

    static final Set<String> TOP_KEYS = Set.of(
            "base_model", "model", "tokenizer", "data", "sequence_len", "micro_batch_size", "gradient_accumulation_steps",
            "learning_rate", "lr_scheduler", "cosine_min_lr_ratio", "warmup_steps", "max_steps", "eval_steps",
            "eval_batches", "save_steps", "save_total_limit", "logging_steps", "weight_decay", "adam_beta1", "adam_beta2",
            "adam_epsilon", "max_grad_norm", "seed", "output_dir", "dropout", "sample_prompt", "sample_tokens");

    /** Hugging Face config.json names; GPT-2's own spellings are accepted as aliases. */
    static final Set<String> MODEL_KEYS = Set.of(
            "architecture", "vocab_size", "hidden_size", "n_embd", "num_hidden_layers", "n_layer",
            "num_attention_heads", "n_head", "num_key_value_heads", "intermediate_size", "n_inner",
            "max_position_embeddings", "n_positions", "layer_norm_epsilon", "rms_norm_eps", "rope_theta",
            "tie_word_embeddings");

    public static TrainConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TrainConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new TrainConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    /** Parses YAML text; {@code source} only names the file in messages and may be {@code null}. */
    public static TrainConfig parse(String yaml, Path source) {
        String file = source == null ? "train config" : source.toString();
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new TrainConfigException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) throw new TrainConfigException(file + ": the file is empty");
        ConfigSection s = new ConfigSection(file, KeyLines.of(yaml), "", root, TOP_KEYS);

        Path baseModel = s.has("base_model") ? Path.of(s.string("base_model", null)) : null;
        if ((baseModel == null) == !s.has("model")) {
            throw new TrainConfigException(file + ": give exactly one of 'base_model' (a checkpoint to start from) and "
                    + "'model' (an architecture to train from scratch)");
        }
        int sequenceLen = s.integer("sequence_len", 256, 1);
        ModelSpec model = s.has("model") ? model(s.child("model", MODEL_KEYS), sequenceLen, s) : null;
        Path tokenizer = s.has("tokenizer") ? Path.of(s.string("tokenizer", null)) : null;
        Path data = Path.of(s.requiredString("data"));
        int micro = s.integer("micro_batch_size", 8, 1);
        int accum = s.integer("gradient_accumulation_steps", 1, 1);
        if (!s.has("learning_rate")) throw new TrainConfigException(file + ": missing required key 'learning_rate'");
        double lr = s.real("learning_rate", 0, 0, 10, false, true);
        LrScheduler scheduler = s.choice("lr_scheduler", LrScheduler.COSINE, LrScheduler.class);
        double minRatio = s.real("cosine_min_lr_ratio", 0.1, 0, 1, true, true);
        if (!s.has("max_steps")) throw new TrainConfigException(file + ": missing required key 'max_steps'");
        int maxSteps = s.integer("max_steps", 0, 1);
        int warmup = s.integer("warmup_steps", 0, 0);
        if (warmup > maxSteps) throw s.error("warmup_steps", "(" + warmup + ") must not exceed max_steps (" + maxSteps + ")");
        int evalSteps = s.integer("eval_steps", 0, 0);
        int evalBatches = s.integer("eval_batches", 20, 1);
        int saveSteps = s.integer("save_steps", 0, 0);
        int saveLimit = s.integer("save_total_limit", 0, 0);
        int logging = s.integer("logging_steps", 10, 1);
        double wd = s.real("weight_decay", 0.0, 0, 10, true, true);
        double b1 = s.real("adam_beta1", 0.9, 0, 1, true, false);
        double b2 = s.real("adam_beta2", 0.999, 0, 1, true, false);
        double eps = s.real("adam_epsilon", 1e-8, 0, 1, false, true);
        double clip = s.real("max_grad_norm", 1.0, 0, Double.MAX_VALUE, true, true);
        long seed = s.integer("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE);
        Path out = Path.of(s.string("output_dir", "./model-out"));
        double dropout = s.real("dropout", 0.0, 0, 1, true, false);
        String prompt = s.string("sample_prompt", null);
        int sampleTokens = s.integer("sample_tokens", 100, 0);
        return new TrainConfig(source, baseModel, model, tokenizer, data, sequenceLen, micro, accum, lr, scheduler, minRatio,
                warmup, maxSteps, evalSteps, evalBatches, saveSteps, saveLimit, logging, wd, b1, b2, eps, clip, seed, out,
                dropout, prompt, sampleTokens);
    }

    private static ModelSpec model(ConfigSection m, int sequenceLen, ConfigSection top) {
        if (!m.has("architecture")) throw m.error("architecture", "is required (gpt2 or llama)");
        ModelArchitecture arch = m.choice("architecture", ModelArchitecture.GPT2, ModelArchitecture.class);
        if (arch == ModelArchitecture.ENCODER) throw m.error("architecture", "must be gpt2 or llama for causal-LM training, got encoder");
        boolean gpt2 = arch == ModelArchitecture.GPT2;
        int vocab = m.integer("vocab_size", 0, 1);
        int hidden = aliased(m, "hidden_size", "n_embd", -1);
        if (hidden < 0) throw m.error("hidden_size", "is required");
        int layers = aliased(m, "num_hidden_layers", "n_layer", -1);
        if (layers < 0) throw m.error("num_hidden_layers", "is required");
        int heads = aliased(m, "num_attention_heads", "n_head", -1);
        if (heads < 0) throw m.error("num_attention_heads", "is required");
        int kvHeads = m.integer("num_key_value_heads", heads, 1);
        int inter = aliased(m, "intermediate_size", "n_inner", gpt2 ? 4 * hidden : llamaIntermediate(hidden));
        int positions = aliased(m, "max_position_embeddings", "n_positions", sequenceLen);
        double normEps = m.has("rms_norm_eps")
                ? m.real("rms_norm_eps", 1e-5, 0, 1, false, true)
                : m.real("layer_norm_epsilon", 1e-5, 0, 1, false, true);
        double theta = m.real("rope_theta", 10000, 0, Double.MAX_VALUE, false, true);
        boolean tie = m.bool("tie_word_embeddings", gpt2);
        if (hidden % heads != 0) {
            throw m.error("hidden_size", "(" + hidden + ") must be a multiple of num_attention_heads (" + heads + ")");
        }
        if (!gpt2 && (hidden / heads) % 2 != 0) {
            throw m.error("hidden_size", "(" + hidden + ") / num_attention_heads (" + heads + ") = " + (hidden / heads)
                    + " is odd; RoPE needs an even head size");
        }
        if (heads % kvHeads != 0) {
            throw m.error("num_attention_heads", "(" + heads + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (positions < sequenceLen) {
            throw top.error("sequence_len", "(" + sequenceLen + ") exceeds the model's max_position_embeddings (" + positions + ")");
        }
        return new ModelSpec(arch, vocab, hidden, layers, heads, kvHeads, inter, positions, normEps, theta, tie);
    }

    private static int aliased(ConfigSection m, String name, String alias, int fallback) {
        if (m.has(name) && m.has(alias)) throw m.error(alias, "repeats '" + name + "'; give one of them");
        return m.has(alias) ? m.integer(alias, fallback, 1) : m.integer(name, fallback, 1);
    }

    /** Llama's SwiGLU width: about 8/3 of the model width, rounded up to a multiple of 32. */
    private static int llamaIntermediate(int hidden) {
        int raw = (int) Math.ceil(8.0 * hidden / 3);
        return (raw + 31) / 32 * 32;
    }
}
