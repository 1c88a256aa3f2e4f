package ai.tarka.finetune.lora;

import java.util.List;

/**
 * PEFT's LoRA options, with PEFT's meanings.
 *
 * @param r               rank
 * @param loraAlpha       scaling numerator: the update is scaled by {@code alpha / r} ({@code alpha / √r} with rsLoRA)
 * @param loraDropout     dropout on the adapter's input while training
 * @param targetModules   module names: each matches a module whose name equals it or ends with {@code "." + it}
 * @param targetRegex     instead of names, a regular expression the whole module name must match (or null)
 * @param allLinear       every linear layer except the output head ({@code all-linear})
 * @param bias            {@code none}, {@code all} (every bias trained) or {@code lora_only} (biases of adapted layers)
 * @param useRslora       rank-stabilised scaling {@code alpha / √r}
 * @param useDora         weight-decomposed LoRA (a trained per-output magnitude)
 * @param modulesToSave   modules trained in full and saved with the adapter (e.g. {@code lm_head})
 * @param initLoraWeights {@code true} (A Kaiming-uniform as {@code nn.Linear}, B zero), {@code gaussian}
 *                        (A normal(0, 1/r), B zero) or {@code false} (both random: the adapter changes the model)
 * @param seed            seed of the adapter initialisation and dropout masks
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules, String targetRegex,
                         boolean allLinear, String bias, boolean useRslora, boolean useDora, List<String> modulesToSave,
                         String initLoraWeights, long seed) {
    public LoraConfig {
        if (r <= 0) throw new IllegalArgumentException("lora: r must be positive, got " + r);
        if (!(loraDropout >= 0 && loraDropout < 1)) throw new IllegalArgumentException("lora: lora_dropout must be in [0, 1), got " + loraDropout);
        if (!List.of("none", "all", "lora_only").contains(bias)) {
            throw new IllegalArgumentException("lora: bias must be none, all or lora_only, got '" + bias + "'");
        }
        if (!List.of("true", "gaussian", "false").contains(initLoraWeights)) {
            throw new IllegalArgumentException("lora: init_lora_weights must be true, gaussian or false, got '" + initLoraWeights + "'");
        }
        targetModules = targetModules == null ? List.of() : List.copyOf(targetModules);
        modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
        if (targetModules.isEmpty() && targetRegex == null && !allLinear) {
            throw new IllegalArgumentException("lora: target_modules is empty; name modules (q_proj, v_proj), a regex, or all-linear");
        }
    }

    /** Plain LoRA on the given module names. */
    public static LoraConfig of(int r, double alpha, List<String> targets) {
        return new LoraConfig(r, alpha, 0, targets, null, false, "none", false, false, List.of(), "true", 0);
    }

    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    public LoraConfig withDora(boolean on) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, allLinear, bias, useRslora, on,
                modulesToSave, initLoraWeights, seed);
    }

    public LoraConfig withInit(String init, long seed) {
        return new LoraConfig(r, loraAlpha, loraDropout, targetModules, targetRegex, allLinear, bias, useRslora, useDora,
                modulesToSave, init, seed);
    }
}
