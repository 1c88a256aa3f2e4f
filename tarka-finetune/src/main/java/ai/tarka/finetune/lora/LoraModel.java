package ai.tarka.finetune.lora;

import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import ai.tarka.models.CausalLm;
import ai.tarka.models.KvCache;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.Module;
import ai.tarka.nn.Parameter;
import ai.tarka.nn.layers.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A causal LM with LoRA adapters on some of its linear layers. Its module tree holds the base model under
 * {@code base_model.model} (so base parameter names read as PEFT's) and the adapters under {@code adapters.<module
 * path>}. Every base parameter is frozen except those {@code bias} and {@code modules_to_save} select, so an optimiser
 * built over the trainable parameters trains only the adapters.
 */
public final class LoraModel extends Module implements CausalLm {
    private final CausalLm base;
    private final LoraConfig config;
    private final LinkedHashMap<String, LoraLayer> adapters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Linear> targets = new LinkedHashMap<>();
    private final List<String> savedModules = new ArrayList<>();
    /** Frozen, unadapted linear layers whose forward runs on pre-packed weights (see {@link FrozenLinear}). */
    private final LinkedHashMap<Linear, FrozenLinear> packedFrozen = new LinkedHashMap<>();
    private AdapterTree adapterTree;

    private LoraModel(CausalLm base, LoraConfig config) {
        this.base = base;
        this.config = config;
        registerModule("base_model", AdapterTree.holding("model", base.module()));
    }

    /**
     * Adds adapters with fp32 base weights. Every frozen weight, adapted or not (the output head too), is multiplied
     * through copies packed once for the SGEMM instead of being re-packed in every product ({@link PackedBaseWeight},
     * {@code -Dtarka.lora.prepack}).
     */
    public static LoraModel wrap(CausalLm base, LoraConfig config, Consumer<String> warnings) {
        LoraModel model = wrap(base, config, l -> PackedBaseWeight.of(l, !config.useDora()), warnings);
        for (var e : base.module().namedModules().entrySet()) {
            if (!(e.getValue() instanceof Linear l) || l.replacement() != null || l.weight().requiresGrad()) continue;
            BaseWeight packed = PackedBaseWeight.of(l, true);
            if (packed == BaseWeight.PLAIN) continue;
            FrozenLinear frozen = new FrozenLinear(packed);
            l.replaceForward(frozen);
            model.packedFrozen.put(l, frozen);
        }
        return model;
    }

    /**
     * Adds adapters to {@code base} (modified in place: its targeted layers now run through the adapters).
     *
     * @param baseWeights the frozen base of each targeted layer (fp32, or NF4 for QLoRA)
     */
    public static LoraModel wrap(CausalLm base, LoraConfig config, Function<Linear, BaseWeight> baseWeights, Consumer<String> warnings) {
        Module m = base.module();
        for (Parameter p : m.parameters()) p.requiresGrad(false);
        Map<String, Linear> chosen = TargetModules.select(m, config, warnings);
        LoraModel model = new LoraModel(base, config);
        AdapterTree tree = model.registerModule("adapters", new AdapterTree());
        model.adapterTree = tree;
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (var e : chosen.entrySet()) {
            LoraLayer layer = new LoraLayer(e.getValue(), config, baseWeights.apply(e.getValue()), rng.split());
            tree.put(e.getKey(), layer);
            e.getValue().replaceForward(layer);
            model.adapters.put(e.getKey(), layer);
            model.targets.put(e.getKey(), e.getValue());
        }
        model.unfreezeBiases();
        model.unfreezeModulesToSave(warnings);
        return model;
    }

    private void unfreezeBiases() {
        if (config.bias().equals("none")) return;
        for (var e : base.module().namedParameters().entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".bias")) continue;
            String module = name.substring(0, name.length() - ".bias".length());
            if (config.bias().equals("all") || targets.containsKey(module)) e.getValue().requiresGrad(true);
        }
    }

    /**
     * Unfreezes {@code modules_to_save}. A saved module is trained and written in full: an embedding or output head
     * (or anything holding a tenth of the model) makes the adapter about as large as the model, which users rarely
     * mean, so that gets a warning naming the size.
     */
    private void unfreezeModulesToSave(Consumer<String> warnings) {
        long total = base.module().numParameters();
        for (String key : config.modulesToSave()) {
            boolean any = false;
            for (var e : base.module().namedModules().entrySet()) {
                if (e.getKey().isEmpty() || !TargetModules.matches(e.getKey(), key)) continue;
                if (targets.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("lora: '" + e.getKey() + "' is both a target module and in modules_to_save");
                }
                long n = 0;
                for (Parameter p : e.getValue().parameters()) {
                    p.requiresGrad(true);
                    n += p.numel();
                }
                String leaf = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                boolean table = leaf.equals("embed_tokens") || leaf.equals("lm_head") || leaf.equals("wte") || leaf.equals("wpe");
                if (warnings != null && (table || n * 10 >= total)) {
                    warnings.accept(String.format(java.util.Locale.ROOT, "lora: modules_to_save '%s' trains and saves all %,d of its "
                            + "parameters (%.0f%% of the model, %.1f MB in the adapter file): the adapter will be about as large as "
                            + "that part of the model", e.getKey(), n, 100.0 * n / total, n * 4 / 1e6));
                }
                savedModules.add(e.getKey());
                any = true;
            }
            if (!any) {
                throw new IllegalArgumentException("lora: modules_to_save entry '" + key + "' matches no module of the model");
            }
        }
    }

    /**
     * A module holding only what is trained: the adapters ({@code adapters.*}) and the base parameters that
     * {@code bias} / {@code modules_to_save} unfroze ({@code base.<HF name>}). An optimiser's flat buffer built over it
     * leaves the frozen base out entirely (no copy of its values, no gradient storage).
     */
    public Module trainableView() {
        AdapterTree view = new AdapterTree();
        view.put("adapters", adapterTree);
        for (var e : base.module().namedParameters().entrySet()) {
            if (e.getValue().requiresGrad()) view.putParameter("base." + e.getKey(), e.getValue());
        }
        return view;
    }

    public CausalLm base() {
        return base;
    }

    public LoraConfig loraConfig() {
        return config;
    }

    /** Adapters by the HF module path of the layer they adapt. */
    public Map<String, LoraLayer> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /** Modules trained in full and saved with the adapter. */
    public List<String> savedModules() {
        return List.copyOf(savedModules);
    }

    @Override
    public ModelConfig config() {
        return base.config();
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public Tensor forward(int[] tokens, int[] positions, int batch, int seqLen) {
        return base.forward(tokens, positions, batch, seqLen);
    }

    @Override
    public Tensor forwardCached(int[] tokens, int batch, int seqLen, KvCache cache) {
        return base.forwardCached(tokens, batch, seqLen, cache);
    }

    @Override
    public void gradientCheckpointing(boolean on) {
        if (on && config.loraDropout() > 0) {
            throw new IllegalArgumentException("lora: gradient_checkpointing with lora_dropout " + config.loraDropout()
                    + " is not supported yet (the recomputed pass would draw other dropout masks); set lora_dropout: 0");
        }
        base.gradientCheckpointing(on);
    }

    @Override
    public Module train(boolean on) {
        super.train(on);
        return this;
    }

    /**
     * Folds every adapter into its base weight ({@code W + s·B·A}, DoRA rescaled), removes the adapters from the
     * layers and returns the base model, now a plain model. This model must not be used afterwards.
     */
    public CausalLm merge() {
        for (var e : packedFrozen.entrySet()) {
            Linear l = e.getKey();
            Tensor w = e.getValue().base().dense(l);
            l.replaceForward(null);
            if (l.weight().buffer() == null) l.weight().replaceValue(w); // puts a dropped weight back
        }
        for (var e : adapters.entrySet()) {
            Linear layer = targets.get(e.getKey());
            Tensor merged = e.getValue().mergedWeight(layer);
            layer.replaceForward(null);
            if (layer.weight().buffer() == null) {
                layer.weight().replaceValue(Tensor.of(merged.toArray(), merged.shape())); // also restores a dropped (QLoRA) weight
            } else {
                Strided.assign(layer.weight().tensor().detach(), merged);
            }
        }
        for (Parameter p : base.module().parameters()) p.requiresGrad(true);
        return base;
    }
}
