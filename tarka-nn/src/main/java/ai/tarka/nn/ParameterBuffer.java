package ai.tarka.nn;

import ai.tarka.engine.Shapes;
import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameter values in ONE flat {@code float[]} and all their gradients in a second one of the
 * same layout, so optimisers, clipping and gradient scaling run as single loops over contiguous
 * memory instead of once per parameter.
 *
 * <p>Design: build the model normally (each parameter owns a small array), then call
 * {@link #flatten(Module)}. That lays the parameters out back to back in registration order (no
 * padding), copies their values in, and re-points every {@link Parameter} at a view of the flat
 * array whose gradient ({@code Tensor.setGrad}) is the matching view of the flat gradient array.
 * Backward then accumulates straight into {@link #grads()}. A parameter can be flattened only once;
 * flatten after loading weights or before, either works, because state-dict loads copy in place.
 */
public final class ParameterBuffer {

    /** Where one parameter lives: {@code [offset, offset + numel)} of both flat arrays. */
    public record Slot(int index, String name, Parameter parameter, int offset, int numel, int[] shape) {
        public Slot {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int rank() {
            return shape.length;
        }

        public boolean requiresGrad() {
            return parameter.requiresGrad();
        }
    }

    private final float[] values;
    private final float[] grads;
    private final List<Slot> slots;
    private final Map<String, Slot> byName;

    private ParameterBuffer(int size, List<String> names, List<Parameter> params) {
        this.values = new float[size];
        this.grads = new float[size];
        List<Slot> list = new ArrayList<>(params.size());
        LinkedHashMap<String, Slot> map = new LinkedHashMap<>();
        int off = 0;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor old = p.tensor();
            int[] shape = old.shape();
            int[] strides = Shapes.contiguousStrides(shape);
            Strided.copy(old, values, off);
            if (old.grad() != null) Strided.copy(old.grad(), grads, off);
            Tensor view = new Tensor(values, off, shape, strides);
            p.bind(view, names.get(i), this);
            view.setGrad(new Tensor(grads, off, shape, strides));
            Slot s = new Slot(i, names.get(i), p, off, old.numel(), shape);
            list.add(s);
            map.put(s.name(), s);
            off += old.numel();
        }
        this.slots = Collections.unmodifiableList(list);
        this.byName = Collections.unmodifiableMap(map);
    }

    /** Flattens every distinct parameter of {@code root}, named by its full dotted path. */
    public static ParameterBuffer flatten(Module root) {
        return flatten(root.namedParameters());
    }

    /** Flattens the given parameters (in map order) under the given names. */
    public static ParameterBuffer flatten(Map<String, Parameter> named) {
        long total = 0;
        List<String> names = new ArrayList<>(named.size());
        List<Parameter> params = new ArrayList<>(named.size());
        IdentityHashMap<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (var e : named.entrySet()) {
            Parameter p = e.getValue();
            if (p.buffer() != null) {
                throw new IllegalStateException("ParameterBuffer.flatten: parameter '" + e.getKey()
                        + "' is already flattened (as '" + p.name() + "'); flatten each parameter once");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("ParameterBuffer.flatten: parameter '" + e.getKey() + "' listed twice");
            }
            total += p.numel();
            names.add(e.getKey());
            params.add(p);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("ParameterBuffer.flatten: " + total
                    + " parameters do not fit one float[] (at most " + (Integer.MAX_VALUE - 16) + ")");
        }
        return new ParameterBuffer((int) total, names, params);
    }

    /** The flat parameter values (shared with every parameter tensor). */
    public float[] values() {
        return values;
    }

    /** The flat gradients (shared with every parameter's gradient tensor). */
    public float[] grads() {
        return grads;
    }

    /** Total number of floats. */
    public int size() {
        return values.length;
    }

    /** Slots in layout order. */
    public List<Slot> slots() {
        return slots;
    }

    public Slot slot(String name) {
        Slot s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("ParameterBuffer: no parameter '" + name + "'; parameters are " + byName.keySet());
        }
        return s;
    }

    /** The value view of a parameter. */
    public Tensor value(String name) {
        return slot(name).parameter().tensor();
    }

    /** The gradient view of a parameter. */
    public Tensor grad(String name) {
        return slot(name).parameter().grad();
    }

    /** Number of floats in parameters that currently require gradients. */
    public long trainableSize() {
        long n = 0;
        for (Slot s : slots) if (s.requiresGrad()) n += s.numel();
        return n;
    }

    /** Zeroes the whole gradient array in one pass. */
    public void zeroGrad() {
        Arrays.fill(grads, 0f);
    }

    /** The slot holding flat index {@code i}. */
    public Slot slotAt(int i) {
        if (i < 0 || i >= values.length) {
            throw new IndexOutOfBoundsException("ParameterBuffer.slotAt: index " + i + " outside [0, " + values.length + ")");
        }
        int lo = 0, hi = slots.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (slots.get(mid).offset() <= i) lo = mid; else hi = mid - 1;
        }
        // empty parameters share an offset with their successor; step past them
        while (slots.get(lo).numel() == 0 || i >= slots.get(lo).offset() + slots.get(lo).numel()) lo++;
        return slots.get(lo);
    }

    @Override
    public String toString() {
        return "ParameterBuffer[" + slots.size() + " parameters, " + values.length + " floats]";
    }
}
