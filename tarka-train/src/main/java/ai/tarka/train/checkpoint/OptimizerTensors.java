package ai.tarka.train.checkpoint;

import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.OptimizerState;
import ai.tarka.train.NamedArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimiser moments as named tensors for {@code trainer_state/optimizer.safetensors}: one tensor per parameter and
 * moment, named {@code <parameter>.<moment>} (e.g. {@code transformer.h.0.attn.c_attn.weight.exp_avg}) and shaped
 * like the parameter, so the file is readable by name and independent of the packing order.
 */
public final class OptimizerTensors {
    private OptimizerTensors() {}

    public static List<NamedArray> toTensors(OptimizerState state, ParameterBuffer buffer) {
        List<NamedArray> out = new ArrayList<>();
        int[] sizes = state.parameterSizes();
        for (Map.Entry<String, float[]> m : state.moments().entrySet()) {
            float[] packed = m.getValue();
            int off = 0;
            for (int i = 0; i < sizes.length; i++) {
                String name = state.parameterNames().get(i);
                float[] part = new float[sizes[i]];
                System.arraycopy(packed, off, part, 0, sizes[i]);
                out.add(new NamedArray(name + "." + m.getKey(), buffer.slot(name).shape(), part));
                off += sizes[i];
            }
        }
        return out;
    }

    /**
     * Re-packs moments read from a file in the layout of {@code layout} (the fresh optimiser's own state, which names
     * the parameters and moments it expects); a missing tensor or a size mismatch names the file and the tensor.
     */
    public static OptimizerState fromTensors(Map<String, NamedArray> tensors, OptimizerState layout, long step, String file) {
        int[] sizes = layout.parameterSizes();
        int total = 0;
        for (int s : sizes) total += s;
        LinkedHashMap<String, float[]> moments = new LinkedHashMap<>();
        for (String key : layout.moments().keySet()) {
            float[] packed = new float[total];
            int off = 0;
            for (int i = 0; i < sizes.length; i++) {
                String name = layout.parameterNames().get(i) + "." + key;
                NamedArray t = tensors.get(name);
                if (t == null) throw new CheckpointException(file + ": no optimiser tensor '" + name + "'");
                if (t.data().length != sizes[i]) {
                    throw new CheckpointException(file + ": optimiser tensor '" + name + "' has " + t.data().length
                            + " values, the parameter has " + sizes[i]);
                }
                System.arraycopy(t.data(), 0, packed, off, sizes[i]);
                off += sizes[i];
            }
            moments.put(key, packed);
        }
        return new OptimizerState(layout.optimizer(), step, layout.parameterNames(), sizes, moments);
    }
}
