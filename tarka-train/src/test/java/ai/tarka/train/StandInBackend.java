package ai.tarka.train;

import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.train.io.HfCheckpointBackend;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real backend (GPT-2/Llama from tarka-models, safetensors files) with an injectable I/O failure: writing a file
 * named {@link #failWriting} throws "No space left on device", as a full disk would.
 */
final class StandInBackend implements ModelBackend {
    private final HfCheckpointBackend real = new HfCheckpointBackend();
    volatile String failWriting;

    @Override
    public CausalLm create(ModelConfig config, long seed) {
        return real.create(config, seed);
    }

    @Override
    public void writeConfig(ModelConfig config, Path file) throws IOException {
        fail(file);
        real.writeConfig(config, file);
    }

    @Override
    public ModelConfig readConfig(Path file) {
        return real.readConfig(file);
    }

    @Override
    public void writeTensors(Path file, Map<String, String> metadata, List<NamedArray> tensors) throws IOException {
        fail(file);
        real.writeTensors(file, metadata, tensors);
    }

    @Override
    public Map<String, NamedArray> readTensors(Path file) {
        return real.readTensors(file);
    }

    @Override
    public void writeWeights(CausalLm model, Path file) throws IOException {
        fail(file);
        real.writeWeights(model, file);
    }

    @Override
    public void readWeights(CausalLm model, Path file) {
        real.readWeights(model, file);
    }

    private void fail(Path file) throws IOException {
        if (file.getFileName().toString().equals(failWriting)) {
            throw new FileSystemException(file.toString(), null, "No space left on device");
        }
    }
}
