package ai.tarka.serve.model;

import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.tensors.TensorEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEFT LoRA adapter for a Llama-family model, read from a folder with {@code adapter_config.json} ({@code r},
 * {@code lora_alpha}, {@code use_rslora}) and {@code adapter_model.safetensors}
 * ({@code base_model.model.model.layers.N.<self_attn|mlp>.<proj>.lora_A.weight} {@code [r, in]} and
 * {@code lora_B.weight} {@code [out, r]}). The update of a projection is {@code scaling · B·A·x} with
 * {@code scaling = alpha / r} ({@code alpha / √r} with rsLoRA). Only LoRA matrices on the seven decoder projections are
 * supported; anything else in the file (biases, {@code modules_to_save}, DoRA magnitudes) is refused by name.
 */
public record LoraAdapter(String name, int rank, float scaling, float[][][] a, float[][][] b) {

    /** Projection slots, in the order {@link PagedLlama} applies them. */
    public static final List<String> MODULES = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
    private static final Pattern NAME = Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.(self_attn\\.[qkvo]_proj|mlp\\.(?:gate|up|down)_proj)\\.lora_([AB])\\.weight");

    /** Loads the adapter in {@code dir} for a model of {@code layers} layers, checking shapes against {@code dims}. */
    public static LoraAdapter load(String name, Path dir, int layers, ModuleDims dims) {
        Path configFile = dir.resolve("adapter_config.json");
        Path weights = dir.resolve("adapter_model.safetensors");
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("LoRA adapter " + dir + ": needs adapter_config.json and adapter_model.safetensors");
        }
        JsonNode cfg;
        try {
            cfg = new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(configFile + ": cannot read: " + e.getMessage(), e);
        }
        int r = cfg.path("r").asInt(0);
        if (r <= 0) throw new IllegalArgumentException(configFile + ": 'r' must be a positive integer");
        double alpha = cfg.path("lora_alpha").asDouble(r);
        if (cfg.path("use_dora").asBoolean(false)) throw new IllegalArgumentException(configFile + ": DoRA adapters are not supported");
        float scaling = (float) (cfg.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(r) : alpha / r);
        float[][][] a = new float[layers][MODULES.size()][], b = new float[layers][MODULES.size()][];
        List<String> unsupported = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(weights)) {
            for (TensorEntry e : f.entries()) {
                Matcher m = NAME.matcher(e.name());
                if (!m.matches()) {
                    unsupported.add(e.name());
                    continue;
                }
                int layer = Integer.parseInt(m.group(1));
                int module = MODULES.indexOf(m.group(2));
                if (layer >= layers) throw new IllegalArgumentException(weights + ": " + e.name() + " is for layer " + layer + " of a " + layers + "-layer model");
                boolean isA = m.group(3).equals("A");
                long[] shape = e.shape();
                long want0 = isA ? r : dims.out(module), want1 = isA ? dims.in(module) : r;
                if (shape.length != 2 || shape[0] != want0 || shape[1] != want1) {
                    throw new IllegalArgumentException(weights + ": " + e.name() + " has shape " + java.util.Arrays.toString(shape)
                            + ", expected [" + want0 + ", " + want1 + "]");
                }
                (isA ? a : b)[layer][module] = f.readFloats(e.name());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(weights + ": unsupported tensors (only LoRA A/B of the decoder projections): " + unsupported);
        }
        for (int l = 0; l < layers; l++) {
            for (int mod = 0; mod < MODULES.size(); mod++) {
                if ((a[l][mod] == null) != (b[l][mod] == null)) {
                    throw new IllegalArgumentException(weights + ": layer " + l + " " + MODULES.get(mod) + " has only one of lora_A / lora_B");
                }
            }
        }
        return new LoraAdapter(name, r, scaling, a, b);
    }

    /** Input and output width of each projection slot. */
    public interface ModuleDims {
        int in(int module);

        int out(int module);
    }
}
