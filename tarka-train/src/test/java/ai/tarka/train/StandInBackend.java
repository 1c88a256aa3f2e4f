package ai.tarka.train;

import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only {@link ModelBackend} until tarka-models and the safetensors writer land: builds {@link StandInLm}, keeps
 * the model config as four numbers and tensors in a plain binary file. {@link #failWriting} injects an I/O error
 * (a full disk) when a file of that name is written.
 */
final class StandInBackend implements ModelBackend {
    volatile String failWriting;

    @Override
    public CausalLm create(ModelConfig config, long seed) {
        return new StandInLm(config, seed);
    }

    @Override
    public void writeConfig(ModelConfig c, Path file) throws IOException {
        fail(file);
        Files.writeString(file, c.vocabSize() + " " + c.hiddenSize() + " " + c.maxPositions() + " " + c.numLayers());
    }

    @Override
    public ModelConfig readConfig(Path file) throws IOException {
        String[] f = Files.readString(file).trim().split(" ");
        return ModelConfig.gpt2(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), 1, Integer.parseInt(f[1]));
    }

    @Override
    public void writeTensors(Path file, Map<String, String> metadata, List<NamedArray> tensors) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(tensors.size());
            for (int i = 0; i < tensors.size(); i++) {
                if (i == tensors.size() / 2) fail(file); // fail half-way, with part of the file written
                NamedArray t = tensors.get(i);
                out.writeUTF(t.name());
                out.writeInt(t.shape().length);
                for (int d : t.shape()) out.writeInt(d);
                for (float v : t.data()) out.writeFloat(v);
            }
        }
    }

    @Override
    public Map<String, NamedArray> readTensors(Path file) throws IOException {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int[] shape = new int[in.readInt()];
                int numel = 1;
                for (int d = 0; d < shape.length; d++) numel *= (shape[d] = in.readInt());
                float[] data = new float[numel];
                for (int j = 0; j < numel; j++) data[j] = in.readFloat();
                out.put(name, new NamedArray(name, shape, data));
            }
        }
        return out;
    }

    private void fail(Path file) throws IOException {
        if (file.getFileName().toString().equals(failWriting)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "No space left on device");
        }
    }
}
