package ai.tarka.finetune.lora;

import ai.tarka.nn.Module;
import ai.tarka.nn.layers.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Which linear layers of a model get adapters, by PEFT's rules on Hugging Face module names: a listed name matches
 * a module whose full name equals it or ends with {@code "." + name}; a regex must match the whole name;
 * {@code all-linear} takes every linear layer except the output head {@code lm_head}. Matching nothing is an error,
 * and each listed name that matched nothing is a warning.
 */
public final class TargetModules {
    private TargetModules() {}

    public static Map<String, Linear> select(Module model, LoraConfig config, Consumer<String> warnings) {
        Map<String, Linear> linears = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof Linear l) linears.put(name, l);
        });
        Map<String, Linear> out = new LinkedHashMap<>();
        if (config.allLinear()) {
            linears.forEach((n, l) -> {
                if (!n.equals("lm_head") && !n.endsWith(".lm_head")) out.put(n, l);
            });
        } else if (config.targetRegex() != null) {
            Pattern p = Pattern.compile(config.targetRegex());
            linears.forEach((n, l) -> {
                if (p.matcher(n).matches()) out.put(n, l);
            });
        } else {
            List<String> unmatched = new ArrayList<>();
            for (String key : config.targetModules()) {
                boolean any = false;
                for (var e : linears.entrySet()) {
                    if (matches(e.getKey(), key)) {
                        out.put(e.getKey(), e.getValue());
                        any = true;
                    }
                }
                if (!any) unmatched.add(key);
            }
            if (!out.isEmpty()) {
                for (String u : unmatched) {
                    if (warnings != null) warnings.accept("lora: target module '" + u + "' matches no linear layer of the model");
                }
            }
        }
        if (!config.allLinear() && config.targetRegex() == null) {
            // in the model's module order, as PEFT walks the model
            Map<String, Linear> ordered = new LinkedHashMap<>();
            linears.forEach((n, l) -> {
                if (out.containsKey(n)) ordered.put(n, l);
            });
            out.clear();
            out.putAll(ordered);
        }
        if (out.isEmpty()) {
            String what = config.allLinear() ? "all-linear" : config.targetRegex() != null ? "regex '" + config.targetRegex() + "'"
                    : config.targetModules().toString();
            throw new IllegalArgumentException("lora: target_modules " + what + " matches no linear layer; the model's are "
                    + leafNames(linears.keySet()));
        }
        return out;
    }

    static boolean matches(String moduleName, String key) {
        return moduleName.equals(key) || moduleName.endsWith("." + key);
    }

    /** The distinct last components (q_proj, c_attn, ...), which is what target_modules usually lists. */
    private static List<String> leafNames(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String leaf = n.substring(n.lastIndexOf('.') + 1);
            if (!out.contains(leaf)) out.add(leaf);
        }
        return out;
    }
}
