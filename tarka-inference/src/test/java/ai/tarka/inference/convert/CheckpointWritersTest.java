package ai.tarka.inference.convert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.inference.RopeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversions between llama2.c {@code .bin}, GGUF and safetensors keep the model: the last-position logits of a
 * prompt agree within 1e-5 (the q/k row permutation is exact; only the summation order of the RoPE pairs differs).
 */
class CheckpointWritersTest {
    @TempDir
    Path dir;

    static float[] logits(LlamaWeights w) {
        LlamaInference m = new LlamaInference(w, 64, 8);
        return Arrays.copyOf(m.prefill(m.newSequence(), new int[] {1, 403, 407, 261, 378}), w.config().vocabSize());
    }

    static void assertClose(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void binToSafetensorsToBinAndGgufToBin() throws Exception {
        try (LlamaWeights bin = ModelLoader.load(SharedData.resolve("stories260K/stories260K.bin"), 0)) {
            float[] want = logits(bin);
            Path st = dir.resolve("hf");
            CheckpointWriters.writeSafetensors(bin, st);
            assertThat(st.resolve("config.json")).exists();
            try (LlamaWeights hf = ModelLoader.load(st, 0)) {
                assertThat(hf.rope()).isEqualTo(RopeLayout.HALVES);
                assertClose(logits(hf), want);
                Path back = dir.resolve("back.bin");
                CheckpointWriters.writeLlama2c(hf, back);
                assertThat(Files.size(back)).isEqualTo(Files.size(SharedData.resolve("stories260K/stories260K.bin")));
                try (LlamaWeights b2 = ModelLoader.load(back, 0)) {
                    assertClose(logits(b2), want);
                    // weights are moved, not recomputed: the q rows come back bit for bit
                    assertThat(b2.layers()[2].wq().toFloats()).isEqualTo(bin.layers()[2].wq().toFloats());
                }
            }
        }
        try (LlamaWeights gguf = ModelLoader.load(SharedData.resolve("stories260K/stories260K.gguf"), 512)) {
            Path out = dir.resolve("from-gguf.bin");
            CheckpointWriters.writeLlama2c(gguf, out);
            try (LlamaWeights b = ModelLoader.load(out, 0)) {
                assertClose(logits(b), logits(gguf));
                assertThat(b.config().tieWordEmbeddings()).isFalse(); // llama.cpp's conversion stores output.weight
            }
        }
    }
}
