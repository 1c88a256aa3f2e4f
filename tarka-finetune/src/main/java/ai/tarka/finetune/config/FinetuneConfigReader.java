package ai.tarka.finetune.config;

import ai.tarka.common.SharedData;
import ai.tarka.finetune.data.DatasetException;
import ai.tarka.finetune.data.DatasetSpec;
import ai.tarka.finetune.data.DatasetType;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.train.config.LrScheduler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks a fine-tuning YAML file (Axolotl's key names). Everything that can be checked without loading
 * the model or data is checked here, before anything runs: unknown keys (with the closest known one), types, ranges,
 * combinations. Relative input paths resolve against the YAML file's folder when the file is there, else against the
 * working directory (as {@code tarka train} does), and {@code ../shared/data/...} falls back to the project's shared
 * data folder ({@link SharedData}); {@code output_dir} is relative to the working directory.
 */
public final class FinetuneConfigReader {
    static final Set<String> KEYS = Set.of(
            "base_model", "tokenizer", "tokenizer_config", "chat_template", "datasets", "val_set_size", "sequence_len",
            "excess_length_strategy",
            "sample_packing", "train_on_inputs", "adapter", "lora_r", "lora_alpha", "lora_dropout", "lora_target_modules",
            "lora_target_linear", "lora_modules_to_save", "lora_bias", "peft_use_rslora", "peft_use_dora",
            "lora_init_weights", "frozen_modules", "micro_batch_size", "gradient_accumulation_steps", "num_epochs",
            "max_steps", "learning_rate", "lr_scheduler", "warmup_steps", "weight_decay", "max_grad_norm",
            "gradient_checkpointing", "eval_steps", "save_steps", "save_total_limit", "logging_steps", "output_dir", "seed");
    static final Set<String> DATASET_KEYS = Set.of(
            "path", "type", "field_instruction", "field_input", "field_output", "field_system", "field_messages",
            "message_field_role", "message_field_content", "field_prompt", "field_completion", "field_text", "roles",
            "train_on_inputs");

    private FinetuneConfigReader() {}

    public static FinetuneConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FinetuneConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    public static FinetuneConfig parse(String yaml, Path source) {
        String file = source == null ? "finetune config" : source.toString();
        Path yamlDir = source == null || source.toAbsolutePath().getParent() == null ? null : source.toAbsolutePath().getParent();
        PathResolver base = new PathResolver(yamlDir);
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new FinetuneConfigException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new FinetuneConfigException(file + ": expected a mapping of keys");
        Section s = new Section(file, "", root, KEYS);
        Path baseModel = base.resolve(s.requiredString("base_model"));
        Path tokenizer = s.has("tokenizer") ? base.resolve(s.string("tokenizer", null)) : null;
        String template = s.string("chat_template", null);
        if (template != null && template.equals("tokenizer_default")) template = null;
        boolean trainOnInputs = s.bool("train_on_inputs", false);
        if (!s.has("datasets") || !root.get("datasets").isArray() || root.get("datasets").isEmpty()) {
            throw s.error("datasets", "must be a non-empty list of {path, type, ...}");
        }
        List<DatasetSpec> datasets = new ArrayList<>();
        int i = 0;
        for (JsonNode d : root.get("datasets")) {
            Section ds = new Section(file, "datasets[" + i++ + "].", d, DATASET_KEYS);
            Path path = base.resolve(ds.requiredString("path"));
            DatasetType type;
            try {
                type = DatasetType.parse(ds.string("type", "alpaca"), file + ": key '" + ds.prefix + "type'");
            } catch (DatasetException e) {
                throw new FinetuneConfigException(e.getMessage(), e);
            }
            Map<String, String> fields = new HashMap<>();
            for (String k : DATASET_KEYS) if (k.startsWith("field_") || k.startsWith("message_field_")) {
                if (ds.has(k)) fields.put(k, ds.string(k, null));
            }
            Map<String, String> roles = new HashMap<>();
            if (ds.has("roles")) {
                // Axolotl: roles: {user: [human, asker], assistant: [gpt]}
                d.get("roles").fields().forEachRemaining(e -> {
                    if (e.getValue().isArray()) for (JsonNode n : e.getValue()) roles.put(n.asText(), e.getKey());
                    else roles.put(e.getValue().asText(), e.getKey());
                });
            }
            datasets.add(new DatasetSpec(path, type, fields, roles, ds.bool("train_on_inputs", trainOnInputs)));
        }
        double valSetSize = s.real("val_set_size", 0.05, 0, Double.MAX_VALUE);
        int seqLen = s.integer("sequence_len", 512, 2);
        boolean packing = s.bool("sample_packing", false);
        String excessName = s.string("excess_length_strategy", "drop").toLowerCase(Locale.ROOT);
        ExcessLengthStrategy excess = switch (excessName) {
            case "drop" -> ExcessLengthStrategy.DROP;
            case "truncate" -> ExcessLengthStrategy.TRUNCATE;
            case "raise" -> ExcessLengthStrategy.RAISE;
            default -> throw s.error("excess_length_strategy", "'" + excessName + "' is not one of drop, truncate, raise");
        };
        String adapterName = s.string("adapter", "full").toLowerCase(Locale.ROOT);
        AdapterKind adapter = switch (adapterName) {
            case "lora" -> AdapterKind.LORA;
            case "qlora" -> AdapterKind.QLORA;
            case "full", "none", "" -> AdapterKind.FULL;
            default -> throw s.error("adapter", "must be lora, qlora or left out (full fine-tuning), got '" + adapterName + "'");
        };
        long seed = s.longValue("seed", 42);
        LoraConfig lora = null;
        if (adapter != AdapterKind.FULL) {
            List<String> targets = new ArrayList<>();
            String regex = null;
            boolean allLinear = s.bool("lora_target_linear", false);
            if (s.has("lora_target_modules")) {
                JsonNode t = root.get("lora_target_modules");
                if (t.isTextual()) {
                    if (t.asText().equals("all-linear")) allLinear = true;
                    else regex = t.asText();
                } else {
                    for (JsonNode n : t) targets.add(n.asText());
                }
            }
            if (!allLinear && regex == null && targets.isEmpty()) {
                throw s.error("lora_target_modules", "is missing: list module names (q_proj, v_proj), give a regex, or set lora_target_linear: true");
            }
            List<String> saved = new ArrayList<>();
            if (s.has("lora_modules_to_save")) for (JsonNode n : root.get("lora_modules_to_save")) saved.add(n.asText());
            try {
                lora = new LoraConfig(s.integer("lora_r", 8, 1), s.real("lora_alpha", 16, 0, Double.MAX_VALUE),
                        s.real("lora_dropout", 0, 0, 0.999), targets, regex, allLinear, s.string("lora_bias", "none"),
                        s.bool("peft_use_rslora", false), s.bool("peft_use_dora", false), saved,
                        s.string("lora_init_weights", "true"), seed);
            } catch (IllegalArgumentException e) {
                throw new FinetuneConfigException(file + ": " + e.getMessage(), e);
            }
        } else {
            for (String k : List.of("lora_r", "lora_alpha", "lora_target_modules", "lora_target_linear")) {
                if (s.has(k)) throw s.error(k, "is set but 'adapter' is not lora or qlora");
            }
        }
        List<String> frozen = new ArrayList<>();
        if (s.has("frozen_modules")) for (JsonNode n : root.get("frozen_modules")) frozen.add(n.asText());
        if (!frozen.isEmpty() && adapter != AdapterKind.FULL) throw s.error("frozen_modules", "applies to full fine-tuning only (adapters freeze the base)");
        int micro = s.integer("micro_batch_size", 1, 1);
        int accum = s.integer("gradient_accumulation_steps", 1, 1);
        double epochs = s.real("num_epochs", 1, 0, 1e6);
        int maxSteps = s.integer("max_steps", 0, 0);
        if (maxSteps == 0 && !(epochs > 0)) throw s.error("num_epochs", "must be positive when max_steps is left out");
        if (!s.has("learning_rate")) throw s.error("learning_rate", "is required");
        double lr = s.real("learning_rate", 2e-4, 0, 10);
        String sched = s.string("lr_scheduler", "cosine").toUpperCase(Locale.ROOT);
        LrScheduler scheduler;
        try {
            scheduler = LrScheduler.valueOf(sched);
        } catch (IllegalArgumentException e) {
            throw s.error("lr_scheduler", "must be cosine, linear or constant, got '" + sched.toLowerCase(Locale.ROOT) + "'");
        }
        int warmup = s.integer("warmup_steps", 0, 0);
        double wd = s.real("weight_decay", 0, 0, 10);
        double clip = s.real("max_grad_norm", 1.0, 0, Double.MAX_VALUE);
        boolean ckpt = s.bool("gradient_checkpointing", false);
        if (ckpt && lora != null && lora.loraDropout() > 0) {
            throw s.error("gradient_checkpointing", "with lora_dropout " + lora.loraDropout() + " is not supported yet; set lora_dropout: 0");
        }
        int evalSteps = s.integer("eval_steps", 0, 0);
        int saveSteps = s.integer("save_steps", 0, 0);
        int saveLimit = s.integer("save_total_limit", 0, 0);
        int logging = s.integer("logging_steps", 10, 1);
        Path out = Path.of(s.string("output_dir", "./finetune-out"));
        return new FinetuneConfig(source, baseModel, tokenizer, template, datasets, valSetSize, seqLen, packing, excess, adapter, lora,
                frozen, micro, accum, epochs, maxSteps, lr, scheduler, warmup, wd, clip, ckpt, evalSteps, saveSteps, saveLimit,
                logging, out, seed);
    }

    /** Resolves input paths (see the class comment). */
    private record PathResolver(Path yamlDir) {
        Path resolve(String given) {
            Path p = Path.of(given);
            if (p.isAbsolute()) return p;
            if (yamlDir != null && Files.exists(yamlDir.resolve(p))) return yamlDir.resolve(p).normalize();
            if (Files.exists(p)) return p;
            String shared = "../shared/data/";
            if (given.startsWith(shared)) {
                try {
                    return SharedData.root().resolve(given.substring(shared.length()));
                } catch (IllegalStateException notFound) {
                    return p;
                }
            }
            return p;
        }
    }

    /** Typed access to one mapping, with errors that name the file and key. */
    private static final class Section {
        final String file, prefix;
        final JsonNode node;

        Section(String file, String prefix, JsonNode node, Set<String> valid) {
            this.file = file;
            this.prefix = prefix;
            this.node = node;
            if (!node.isObject()) throw new FinetuneConfigException(file + ": '" + prefix + "' must be a mapping");
            node.fieldNames().forEachRemaining(k -> {
                if (!valid.contains(k)) {
                    String near = closest(k, valid);
                    throw new FinetuneConfigException(file + ": unknown key '" + prefix + k + "'"
                            + (near == null ? "" : "; did you mean '" + near + "'?"));
                }
            });
        }

        boolean has(String k) {
            return node.has(k) && !node.get(k).isNull();
        }

        FinetuneConfigException error(String k, String problem) {
            return new FinetuneConfigException(file + ": key '" + prefix + k + "' " + problem);
        }

        String string(String k, String fallback) {
            if (!has(k)) return fallback;
            JsonNode v = node.get(k);
            if (!v.isValueNode()) throw error(k, "must be a string");
            return v.asText();
        }

        String requiredString(String k) {
            if (!has(k)) throw error(k, "is required");
            return string(k, null);
        }

        boolean bool(String k, boolean fallback) {
            if (!has(k)) return fallback;
            JsonNode v = node.get(k);
            if (v.isBoolean()) return v.asBoolean();
            String t = v.asText().toLowerCase(Locale.ROOT);
            if (t.equals("true")) return true;
            if (t.equals("false")) return false;
            throw error(k, "must be true or false, got '" + v.asText() + "'");
        }

        int integer(String k, int fallback, int min) {
            long v = longValue(k, fallback);
            if (v < min || v > Integer.MAX_VALUE) throw error(k, "must be an integer ≥ " + min + ", got " + v);
            return (int) v;
        }

        long longValue(String k, long fallback) {
            if (!has(k)) return fallback;
            JsonNode v = node.get(k);
            if (v.isIntegralNumber()) return v.asLong();
            try {
                return Long.parseLong(v.asText().strip());
            } catch (NumberFormatException e) {
                throw error(k, "must be an integer, got '" + v.asText() + "'");
            }
        }

        double real(String k, double fallback, double min, double max) {
            if (!has(k)) return fallback;
            JsonNode v = node.get(k);
            double d;
            if (v.isNumber()) d = v.asDouble();
            else {
                try {
                    d = Double.parseDouble(v.asText().strip());
                } catch (NumberFormatException e) {
                    throw error(k, "must be a number, got '" + v.asText() + "'");
                }
            }
            if (!(d >= min && d <= max)) throw error(k, "must be in [" + min + ", " + max + "], got " + d);
            return d;
        }
    }

    static String closest(String wrong, Set<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(wrong, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, wrong.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
