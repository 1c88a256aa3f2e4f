package ai.tarka.models;

import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsFile;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorSource;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves weights between a model and Hugging Face tensors: same names, HF layouts. The one layout difference is
 * GPT-2's Conv1D, which stores its matrices {@code [in, out]} where Tarka's Linear keeps {@code [out, in]}; those four
 * per-block matrices are transposed on the way in and out.
 */
public final class ModelWeights {
    private ModelWeights() {}

    /** The model's parameters by HF name, as contiguous copies in HF layout (a tied head is not repeated). */
    public static LinkedHashMap<String, Tensor> export(CausalLm model) {
        return export(model.module(), model.config());
    }

    /** The weights as F32 {@link NamedTensor}s by HF name in HF layout, ready for {@code SafetensorsWriter}. */
    public static List<NamedTensor> namedTensors(CausalLm model) {
        List<NamedTensor> out = new ArrayList<>();
        for (var e : export(model).entrySet()) out.add(new NamedTensor(e.getKey(), e.getValue().shape(), e.getValue().data()));
        return out;
    }

    /** Writes the weights as one F32 {@code model.safetensors}-style file (temporary file, then an atomic move). */
    public static void save(CausalLm model, Path file) {
        SafetensorsWriter.write(file, Map.of("format", "pt"), namedTensors(model));
    }

    /** Loads the weights of a safetensors file written by {@link #save} or by Hugging Face (see {@link #load}). */
    public static void load(CausalLm model, Path safetensorsFile) {
        try (SafetensorsFile file = SafetensorsFile.open(safetensorsFile)) {
            load(model, file);
        }
    }

    /** The current gradients by HF name in HF layout (zeros where a parameter has none yet). */
    public static LinkedHashMap<String, Tensor> exportGradients(CausalLm model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : model.module().namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) g = Tensor.zeros(e.getValue().shape());
            out.put(e.getKey(), toHf(model.config(), e.getKey(), g));
        }
        return out;
    }

    static LinkedHashMap<String, Tensor> export(Module module, ModelConfig config) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : module.namedParameters().entrySet()) {
            out.put(e.getKey(), toHf(config, e.getKey(), e.getValue().tensor().detach()));
        }
        return out;
    }

    /**
     * Copies every parameter from {@code source}, found by HF name (GPT-2 also without the {@code transformer.}
     * prefix, as the original checkpoints are named). Checks everything before copying anything: each tensor's shape
     * must be the one the config implies, and no parameter may be missing or tensor left over (buffers HF keeps in
     * some checkpoints, such as GPT-2's {@code attn.bias} mask or {@code rotary_emb.inv_freq}, and a tied head's
     * {@code lm_head.weight}, are skipped).
     *
     * @throws WeightMismatchException naming the source and listing every problem
     */
    public static void load(CausalLm model, TensorSource source) {
        load(model.module(), model.config(), source);
    }

    static void load(Module module, ModelConfig config, TensorSource source) {
        Map<String, TensorEntry> byName = new HashMap<>();
        for (TensorEntry e : source.entries()) byName.put(e.name(), e);
        List<String> missing = new ArrayList<>(), shapes = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<Copy> plan = new ArrayList<>();
        for (var e : module.namedParameters().entrySet()) {
            String name = e.getKey();
            String stored = storedName(name, config, byName);
            if (stored == null) {
                missing.add(name);
                continue;
            }
            used.add(stored);
            int[] expected = hfShape(config, name, e.getValue().shape());
            long[] actual = byName.get(stored).shape();
            if (!sameShape(expected, actual)) {
                shapes.add(stored + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
            } else {
                plan.add(new Copy(e.getValue(), name, stored));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (TensorEntry e : source.entries()) {
            if (!used.contains(e.name()) && !ignorable(e.name(), config)) unexpected.add(e.name());
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !shapes.isEmpty()) {
            throw new WeightMismatchException(source.description(), missing, unexpected, shapes);
        }
        for (Copy c : plan) {
            Tensor hf = Tensor.of(source.readFloats(c.stored), byName.get(c.stored).intShape());
            Strided.assign(c.parameter.tensor().detach(), transposedInHf(config, c.name) ? hf.t() : hf);
        }
    }

    private record Copy(Parameter parameter, String name, String stored) {}

    private static String storedName(String name, ModelConfig config, Map<String, TensorEntry> byName) {
        if (byName.containsKey(name)) return name;
        if (config.architecture() == ModelArchitecture.GPT2 && name.startsWith("transformer.")) {
            String bare = name.substring("transformer.".length());
            if (byName.containsKey(bare)) return bare;
        }
        return null;
    }

    private static boolean ignorable(String name, ModelConfig config) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.endsWith("rotary_emb.inv_freq")
                || (config.tieWordEmbeddings() && name.equals("lm_head.weight"));
    }

    /** The layout HF stores {@code name} in, for a Tarka tensor {@code t}: a contiguous copy. */
    static Tensor toHf(ModelConfig config, String name, Tensor t) {
        Tensor hf = transposedInHf(config, name) ? t.t() : t;
        return Tensor.of(hf.toArray(), hf.shape());
    }

    /** The shape HF stores parameter {@code name} of Tarka shape {@code shape} in. */
    public static int[] hfShape(ModelConfig config, String name, int[] shape) {
        if (!transposedInHf(config, name)) return shape.clone();
        return new int[] {shape[1], shape[0]};
    }

    /** GPT-2's Conv1D matrices: {@code attn.c_attn}, {@code attn.c_proj}, {@code mlp.c_fc}, {@code mlp.c_proj}. */
    private static boolean transposedInHf(ModelConfig config, String name) {
        if (config.architecture() != ModelArchitecture.GPT2) return false;
        return name.endsWith(".attn.c_attn.weight") || name.endsWith(".attn.c_proj.weight")
                || name.endsWith(".mlp.c_fc.weight") || name.endsWith(".mlp.c_proj.weight");
    }

    private static boolean sameShape(int[] expected, long[] actual) {
        if (expected.length != actual.length) return false;
        for (int i = 0; i < expected.length; i++) if (expected[i] != actual[i]) return false;
        return true;
    }
}
