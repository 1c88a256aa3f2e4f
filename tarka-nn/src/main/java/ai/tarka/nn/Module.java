package ai.tarka.nn;

import ai.tarka.engine.Shapes;
import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A node of a model tree: owns parameters, non-trainable buffers and child modules, each under a
 * local name. Full names join the path with dots, Hugging Face style
 * ({@code blocks.0.attn.q_proj.weight}).
 *
 * <p>Order follows PyTorch: a module lists its own parameters (then, in state dicts, its own
 * buffers) in registration order, then each child's entries in registration order. A parameter
 * registered under two names (tied weights) is listed once by {@link #namedParameters()}, under its
 * first name, and appears under every name in {@link #stateDict()}.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> transientBuffers = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ---------------------------------------------------------------- registration

    /** Registers a new parameter wrapping {@code value} (a leaf tensor, not copied). */
    protected final Parameter registerParameter(String name, Tensor value) {
        return registerParameter(name, new Parameter(name, value));
    }

    /** Registers an existing parameter, for example one shared with another module (tied weights). */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkNewName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a tensor that is state but not trained (running statistics, caches).
     * Persistent buffers appear in {@link #stateDict()}; transient ones (for example rotary tables
     * recomputed at construction) do not.
     */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkNewName(name);
        buffers.put(name, value);
        if (!persistent) transientBuffers.add(name);
        return value;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": module '" + name + "' is null");
        if (module == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": cannot register itself as '" + name + "'");
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        String owner = getClass().getSimpleName();
        if (name == null || name.isEmpty() || name.indexOf('.') >= 0) {
            throw new IllegalArgumentException(owner + ": invalid name '" + name + "' (non-empty, no dots)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(owner + ": name '" + name + "' is already registered");
        }
    }

    // ---------------------------------------------------------------- traversal

    /** Every distinct parameter under its first full name, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        IdentityHashMap<Parameter, Boolean> seen = new IdentityHashMap<>();
        collectParameters("", out, seen, new IdentityHashMap<>());
        return Collections.unmodifiableMap(out);
    }

    private void collectParameters(String prefix, Map<String, Parameter> out, IdentityHashMap<Parameter, Boolean> seen,
                                   IdentityHashMap<Module, Boolean> visited) {
        if (visited.put(this, Boolean.TRUE) != null) return;
        for (var e : parameters.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : children.entrySet()) e.getValue().collectParameters(prefix + e.getKey() + ".", out, seen, visited);
    }

    public final List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** The parameter with this full dotted name. */
    public final Parameter parameter(String fullName) {
        Parameter p = namedParameters().get(fullName);
        if (p == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameter '" + fullName
                    + "'; parameters are " + namedParameters().keySet());
        }
        return p;
    }

    /** Total element count of the distinct parameters. */
    public final long numParameters() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Element count of the parameters that currently require gradients. */
    public final long numTrainableParameters() {
        long n = 0;
        for (Parameter p : namedParameters().values()) if (p.requiresGrad()) n += p.numel();
        return n;
    }

    /** Direct children in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** This module (under the empty name) and every distinct descendant under its full path, pre-order. */
    public final Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, new IdentityHashMap<>());
        return Collections.unmodifiableMap(out);
    }

    private void collectModules(String path, Map<String, Module> out, IdentityHashMap<Module, Boolean> visited) {
        if (visited.put(this, Boolean.TRUE) != null) return;
        out.put(path, this);
        for (var e : children.entrySet()) {
            e.getValue().collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out, visited);
        }
    }

    // ---------------------------------------------------------------- modes and gradients

    /** Sets training mode here and in every descendant (dropout and similar layers read it). */
    public Module train(boolean on) {
        for (Module m : namedModules().values()) m.training = on;
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient in place (flat-buffer views stay bound). */
    public final void zeroGrad() {
        for (Parameter p : namedParameters().values()) p.tensor().zeroGrad();
    }

    /**
     * Sets {@code requiresGrad} on every parameter matched by one of the {@link NamePattern}s and
     * returns how many parameters matched. A pattern that matches nothing is an error (a typo would
     * otherwise silently train or freeze the wrong thing).
     */
    public final int setRequiresGrad(boolean on, String... patterns) {
        Map<String, Parameter> named = namedParameters();
        Set<Parameter> hit = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String glob : patterns) {
            NamePattern pattern = NamePattern.of(glob);
            boolean any = false;
            for (var e : named.entrySet()) {
                if (pattern.matches(e.getKey())) {
                    e.getValue().requiresGrad(on);
                    hit.add(e.getValue());
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": pattern '" + glob
                        + "' matches no parameter; parameters are " + named.keySet());
            }
        }
        return hit.size();
    }

    /** Sets {@code requiresGrad} on every parameter whose full name passes {@code selector}; returns the count. */
    public final int setRequiresGrad(boolean on, Predicate<String> selector) {
        int n = 0;
        for (var e : namedParameters().entrySet()) {
            if (selector.test(e.getKey())) {
                e.getValue().requiresGrad(on);
                n++;
            }
        }
        return n;
    }

    /** Freezes the parameters matched by the patterns (see {@link #setRequiresGrad(boolean, String...)}). */
    public final int freeze(String... patterns) {
        return setRequiresGrad(false, patterns);
    }

    public final int unfreeze(String... patterns) {
        return setRequiresGrad(true, patterns);
    }

    // ---------------------------------------------------------------- state dicts

    /**
     * Every parameter and persistent buffer under its full name, as detached tensors that SHARE
     * storage with the module (copy them for a snapshot that later training must not change).
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (var e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue().tensor().detach());
        for (var e : buffers.entrySet()) {
            if (!transientBuffers.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (var e : children.entrySet()) e.getValue().collectState(prefix + e.getKey() + ".", out);
    }

    /** Keys of a non-strict load that the state dict lacked or that the module does not have. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /**
     * Copies values from {@code state} into this module's parameters and persistent buffers, in
     * place (flat-buffer views stay bound). Nothing is copied unless the whole load is valid: a shape
     * mismatch is always an error, and with {@code strict} so is any missing or unexpected key; the
     * {@link StateDictException} lists all of them.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        LinkedHashMap<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), shapes = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.sameShape(e.getValue())) {
                shapes.add(e.getKey() + ": state dict " + Shapes.str(src.shape()) + " vs module "
                        + Shapes.str(e.getValue().shape()));
            }
        }
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (!shapes.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            throw new StateDictException(getClass().getSimpleName(), missing, unexpected, shapes);
        }
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) Strided.assign(e.getValue(), src);
        }
        return new LoadResult(missing, unexpected);
    }

    // ---------------------------------------------------------------- printing

    /** The constructor arguments worth showing, e.g. {@code in=768, out=3072, bias=true}. */
    protected String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTree(sb, "");
        return sb.toString();
    }

    private void appendTree(StringBuilder sb, String indent) {
        sb.append(getClass().getSimpleName()).append('(').append(extraRepr());
        if (children.isEmpty()) {
            sb.append(')');
            return;
        }
        sb.append('\n');
        for (var e : children.entrySet()) {
            sb.append(indent).append("  (").append(e.getKey()).append("): ");
            e.getValue().appendTree(sb, indent + "  ");
            sb.append('\n');
        }
        sb.append(indent).append(')');
    }
}
