package ai.tarka.finetune.lora;

import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelWeights;
import ai.tarka.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Adapters in PEFT's on-disk format: {@code adapter_config.json} (the fields PEFT's {@code LoraConfig} writes, keys
 * sorted) and {@code adapter_model.safetensors} with PEFT's saved tensor names, {@code base_model.model.<module>.lora_A.weight},
 * {@code .lora_B.weight}, {@code .lora_magnitude_vector} (DoRA), trained biases {@code base_model.model.<module>.bias}
 * and {@code modules_to_save} parameters under their own names (HF layouts). Python PEFT loads what this writes, and
 * this loads PEFT's (adapter names such as {@code .default} are accepted and dropped).
 */
public final class PeftAdapters {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";

    private PeftAdapters() {}

    /** Writes the adapter of {@code model} into {@code dir} (created when missing). */
    public static void save(LoraModel model, Path dir, String baseModelNameOrPath) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(CONFIG), configJson(model, baseModelNameOrPath));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write " + CONFIG + ": " + e.getMessage(), e);
        }
        List<NamedTensor> out = new ArrayList<>();
        for (var e : tensors(model).entrySet()) out.add(new NamedTensor(e.getKey(), e.getValue().shape(), e.getValue().toArray()));
        SafetensorsWriter.write(dir.resolve(WEIGHTS), Map.of("format", "pt"), out);
    }

    /** The adapter's tensors under PEFT's saved names, in HF layouts. */
    public static LinkedHashMap<String, Tensor> tensors(LoraModel model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : model.adapters().entrySet()) {
            LoraLayer l = e.getValue();
            out.put(PREFIX + e.getKey() + ".lora_A.weight", l.loraA().weight().tensor().detach());
            out.put(PREFIX + e.getKey() + ".lora_B.weight", l.loraB().weight().tensor().detach());
            if (l.magnitude() != null) out.put(PREFIX + e.getKey() + ".lora_magnitude_vector", l.magnitude().tensor().detach());
        }
        for (var e : extraParameters(model).entrySet()) out.put(PREFIX + e.getKey(), hfLayout(model.base(), e.getKey(), e.getValue().tensor().detach()));
        return out;
    }

    /** Trained base parameters saved with the adapter: biases (bias != none) and modules_to_save. */
    private static LinkedHashMap<String, Parameter> extraParameters(LoraModel model) {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        for (var e : model.base().module().namedParameters().entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static Tensor hfLayout(CausalLm base, String name, Tensor t) {
        int[] hf = ModelWeights.hfShape(base.config(), name, t.shape());
        Tensor laid = java.util.Arrays.equals(hf, t.shape()) ? t : t.t();
        return Tensor.of(laid.toArray(), laid.shape());
    }

    static String configJson(LoraModel model, String baseModelNameOrPath) {
        LoraConfig c = model.loraConfig();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> m = new HashMap<>();
        m.put("alpha_pattern", Map.of());
        m.put("auto_mapping", null);
        m.put("base_model_name_or_path", baseModelNameOrPath);
        m.put("bias", c.bias());
        m.put("fan_in_fan_out", model.config().architecture() == ModelArchitecture.GPT2);
        m.put("inference_mode", true);
        m.put("init_lora_weights", switch (c.initLoraWeights()) {
            case "gaussian" -> "gaussian";
            case "false" -> false;
            default -> true;
        });
        m.put("layer_replication", null);
        m.put("layers_pattern", null);
        m.put("layers_to_transform", null);
        m.put("loftq_config", Map.of());
        m.put("lora_alpha", number(c.loraAlpha()));
        m.put("lora_dropout", c.loraDropout());
        m.put("megatron_config", null);
        m.put("megatron_core", "megatron.core");
        m.put("modules_to_save", c.modulesToSave().isEmpty() ? null : c.modulesToSave());
        m.put("peft_type", "LORA");
        m.put("r", c.r());
        m.put("rank_pattern", Map.of());
        m.put("revision", null);
        if (c.targetRegex() != null) {
            m.put("target_modules", c.targetRegex());
        } else {
            // PEFT saves the module names it adapted (all-linear is expanded to them), as a sorted list here
            TreeSet<String> leaves = new TreeSet<>();
            if (c.allLinear()) {
                for (String path : model.adapters().keySet()) leaves.add(path.substring(path.lastIndexOf('.') + 1));
            } else {
                leaves.addAll(c.targetModules());
            }
            m.put("target_modules", List.copyOf(leaves));
        }
        m.put("task_type", "CAUSAL_LM");
        m.put("use_dora", c.useDora());
        m.put("use_rslora", c.useRslora());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An integral alpha as an integer, as Python writes {@code lora_alpha=16}. */
    private static Object number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? (Object) (int) v : (Object) v;
    }

    /** The LoRA options of a PEFT {@code adapter_config.json}. */
    public static LoraConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        String type = n.path("peft_type").asText("");
        if (!type.equals("LORA")) throw new IllegalArgumentException(file + ": peft_type is '" + type + "', only LORA adapters are supported");
        JsonNode t = n.path("target_modules");
        List<String> names = new ArrayList<>();
        String regex = null;
        boolean allLinear = false;
        if (t.isTextual()) {
            if (t.asText().equals("all-linear")) allLinear = true;
            else regex = t.asText();
        } else {
            for (JsonNode x : t) names.add(x.asText());
        }
        List<String> saved = new ArrayList<>();
        for (JsonNode x : n.path("modules_to_save")) saved.add(x.asText());
        JsonNode init = n.path("init_lora_weights");
        String initName = init.isBoolean() ? Boolean.toString(init.asBoolean()) : init.asText("true");
        if (!List.of("true", "false", "gaussian").contains(initName)) initName = "true"; // other inits only matter before training
        try {
            return new LoraConfig(n.path("r").asInt(8), n.path("lora_alpha").asDouble(8), n.path("lora_dropout").asDouble(0), names,
                    regex, allLinear, n.path("bias").asText("none"), n.path("use_rslora").asBoolean(false),
                    n.path("use_dora").asBoolean(false), saved, initName, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a PEFT adapter directory onto {@code base} (fp32 base weights). */
    public static LoraModel load(CausalLm base, Path dir, Consumer<String> warnings) {
        return load(base, dir, l -> BaseWeight.PLAIN, warnings);
    }

    public static LoraModel load(CausalLm base, Path dir, Function<ai.tarka.nn.layers.Linear, BaseWeight> baseWeights, Consumer<String> warnings) {
        LoraModel model = LoraModel.wrap(base, readConfig(dir), baseWeights, warnings);
        loadWeights(model, dir.resolve(WEIGHTS));
        return model;
    }

    /** Copies an {@code adapter_model.safetensors} into the adapters; every adapter tensor must be present. */
    public static void loadWeights(LoraModel model, Path file) {
        LinkedHashMap<String, Tensor> own = tensors(model);
        Map<String, Tensor> targets = new HashMap<>();
        for (var e : model.adapters().entrySet()) {
            targets.put(PREFIX + e.getKey() + ".lora_A.weight", e.getValue().loraA().weight().tensor());
            targets.put(PREFIX + e.getKey() + ".lora_B.weight", e.getValue().loraB().weight().tensor());
            if (e.getValue().magnitude() != null) targets.put(PREFIX + e.getKey() + ".lora_magnitude_vector", e.getValue().magnitude().tensor());
        }
        for (var e : extraParameters(model).entrySet()) targets.put(PREFIX + e.getKey(), e.getValue().tensor());
        List<String> problems = new ArrayList<>();
        Map<String, String> stored = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorEntry e : f.entries()) {
                String name = canonical(e.name());
                if (!own.containsKey(name)) problems.add("unexpected tensor " + e.name());
                else stored.put(name, e.name());
            }
            for (String name : own.keySet()) if (!stored.containsKey(name)) problems.add("missing tensor " + name);
            Map<String, TensorEntry> entries = new HashMap<>();
            for (TensorEntry e : f.entries()) entries.put(e.name(), e);
            for (var e : stored.entrySet()) {
                int[] shape = entries.get(e.getValue()).intShape();
                if (!java.util.Arrays.equals(shape, own.get(e.getKey()).shape())) {
                    problems.add(e.getValue() + ": shape " + java.util.Arrays.toString(shape) + ", the model needs "
                            + java.util.Arrays.toString(own.get(e.getKey()).shape()));
                }
            }
            if (!problems.isEmpty()) throw new IllegalArgumentException(file + ": adapter does not fit the model: " + problems);
            for (var e : stored.entrySet()) {
                Tensor src = Tensor.of(f.readFloats(e.getValue()), entries.get(e.getValue()).intShape());
                Tensor dst = targets.get(e.getKey());
                Tensor hf = own.get(e.getKey());
                boolean transposed = !java.util.Arrays.equals(dst.shape(), hf.shape());
                Strided.assign(dst.detach(), transposed ? src.t() : src);
            }
        }
    }

    /** PEFT's in-memory names carry the adapter name ({@code lora_A.default.weight}); saved ones do not. */
    private static String canonical(String name) {
        return name.replace(".lora_A.default.", ".lora_A.").replace(".lora_B.default.", ".lora_B.")
                .replace(".lora_magnitude_vector.default.weight", ".lora_magnitude_vector")
                .replace(".lora_magnitude_vector.default", ".lora_magnitude_vector")
                .replace(".modules_to_save.default.", ".");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
