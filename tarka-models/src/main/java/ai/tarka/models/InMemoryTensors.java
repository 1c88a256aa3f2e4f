package ai.tarka.models;

import ai.tarka.engine.Tensor;
import ai.tarka.formats.tensors.TensorDType;
import ai.tarka.formats.tensors.TensorEntry;
import ai.tarka.formats.tensors.TensorFormatException;
import ai.tarka.formats.tensors.TensorSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link TensorSource} over tensors held in memory (exported weights, test fixtures, remapped checkpoints). */
public final class InMemoryTensors implements TensorSource {
    private final String description;
    private final LinkedHashMap<String, Tensor> tensors;
    private final List<TensorEntry> entries;

    public InMemoryTensors(String description, Map<String, Tensor> tensors) {
        this.description = description;
        this.tensors = new LinkedHashMap<>(tensors);
        List<TensorEntry> list = new ArrayList<>();
        for (var e : this.tensors.entrySet()) {
            int[] s = e.getValue().shape();
            long[] shape = new long[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = s[i];
            list.add(new TensorEntry(e.getKey(), TensorDType.F32, shape));
        }
        this.entries = List.copyOf(list);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<TensorEntry> entries() {
        return entries;
    }

    @Override
    public float[] readFloats(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new TensorFormatException(description + ": no tensor '" + name + "'");
        return t.toArray();
    }
}
