package ai.tarka.inference.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgmlType;
import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufTensorInfo;
import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.ModelLoader;
import ai.tarka.inference.SequenceState;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.models.LlamaCheckpoints;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF written by Tarka against the one llama.cpp's own converter wrote for stories260K: same tensor names, order,
 * dims, types and bytes (F32), same llama hyper-parameter keys and vocabulary; Q8_0 output loads back and keeps
 * the first 50 greedy tokens.
 */
class GgufLlamaWriterTest {
    @TempDir
    Path dir;

    static final Path MODEL = SharedData.resolve("stories260K/stories260K.bin");
    static final Path REFERENCE = SharedData.resolve("stories260K/stories260K.gguf");

    @Test
    void f32OutputEqualsLlamaCppsConversionTensorForTensor() throws Exception {
        Path out = dir.resolve("s.gguf");
        try (LlamaWeights w = ModelLoader.load(MODEL, 0)) {
            GgufLlamaWriter.write(w, QuantFormat.F32, TokenizerMetadata.fromLlama2c(SharedData.resolve("stories260K/tok512.bin"), 512), "s", out);
        }
        GgufFile ours = GgufFile.open(out), ref = GgufFile.open(REFERENCE);
        assertThat(ours.version()).isEqualTo(3);
        // the .bin's classifier is shared: Tarka writes it once (llama.cpp then uses token_embd as the head), where
        // llama.cpp's llama2.c converter stored a copy as output.weight
        assertThat(ours.tensors()).extracting(GgufTensorInfo::name).containsExactlyElementsOf(
                ref.tensors().stream().map(GgufTensorInfo::name).filter(n -> !n.equals("output.weight")).toList());
        assertThat(ours.dataStart() % 32).isZero();
        try (GgufTensors a = GgufTensors.of(ours); GgufTensors b = GgufTensors.of(ref)) {
            assertThat(b.bytes("output.weight").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(b.bytes("token_embd.weight").toArray(ValueLayout.JAVA_BYTE));
            for (GgufTensorInfo t : ref.tensors()) {
                if (t.name().equals("output.weight")) continue;
                assertThat(ours.tensors().stream().filter(x -> x.name().equals(t.name())).findFirst().orElseThrow().dims()).isEqualTo(t.dims());
                assertThat(a.ggmlType(t.name())).isEqualTo(GgmlType.F32);
                assertThat(a.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE)).as(t.name()).isEqualTo(b.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE));
                assertThat(ours.tensors().stream().filter(x -> x.name().equals(t.name())).findFirst().orElseThrow().offset() % 32).isZero();
            }
        }
        for (String k : ref.keys()) {
            if (k.startsWith("llama.") && !k.equals("llama.context_length") || k.equals("general.architecture")
                    || k.equals("tokenizer.ggml.model") || k.endsWith("_token_id") && !k.contains("seperator") && !k.contains("padding")) {
                assertThat(ours.get(k).value()).as(k).isEqualTo(ref.get(k).value());
            }
        }
        assertThat(ours.getInt("llama.context_length")).isEqualTo(512); // the .bin's seq_len; llama.cpp's converter wrote 128
        assertThat(ours.getStringArray("tokenizer.ggml.tokens")).isEqualTo(ref.getStringArray("tokenizer.ggml.tokens"));
        assertThat(ours.getFloatArray("tokenizer.ggml.scores")).isEqualTo(ref.getFloatArray("tokenizer.ggml.scores"));
        assertThat(ours.getIntArray("tokenizer.ggml.token_type")).isEqualTo(ref.getIntArray("tokenizer.ggml.token_type"));
        assertThat(dir.toFile().list()).containsExactly("s.gguf"); // the temporary file was moved into place
    }

    @Test
    void q8_0OutputLoadsInPlaceAndKeepsTheGreedyText() throws Exception {
        Path out = dir.resolve("q8.gguf");
        try (LlamaWeights w = ModelLoader.load(MODEL, 0)) {
            GgufLlamaWriter.write(w, QuantFormat.Q8_0, TokenizerMetadata.fromGguf(GgufFile.open(REFERENCE)), "q8", out);
        }
        assertThat(Files.size(out)).isLessThan(Files.size(REFERENCE) / 2);
        try (LlamaWeights q = ModelLoader.load(out, 0)) {
            assertThat(q.layers()[0].wq().format()).isEqualTo(QuantFormat.Q8_0);
            assertThat(q.layers()[0].down().format()).isEqualTo(QuantFormat.F32); // 172-wide rows do not fill Q8_0 blocks
            assertThat(q.layers()[0].wq().data().isNative()).isTrue(); // a slice of the mapping: used in place
            LlamaInference m = new LlamaInference(q, 512, 8);
            SequenceState s = m.newSequence();
            float[] logits = m.prefill(s, new int[] {1});
            int[] got = new int[50];
            for (int t = 0; t < 50; t++) {
                int best = 0;
                for (int i = 1; i < 512; i++) if (logits[i] > logits[best]) best = i;
                got[t] = best;
                logits = m.forwardBatch(List.of(s), new int[] {best});
            }
            int[] want = Arrays.stream(Files.readAllLines(SharedData.resolve("stories260K/expected-greedy-200.ids.txt")).stream()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow().trim().split("\\s+"))
                    .limit(50).mapToInt(Integer::parseInt).toArray();
            assertThat(got).containsExactly(want);
        }
    }

    @Test
    void hfToMetaUndoesTheHfPermutation() {
        Random r = new Random(5);
        int heads = 3, d = 6, in = 5;
        float[] meta = new float[heads * d * in];
        for (int i = 0; i < meta.length; i++) meta[i] = r.nextFloat();
        assertThat(GgufLlamaWriter.hfToMetaRows(LlamaCheckpoints.metaToHfRows(meta, heads, d, in), heads, d, in)).isEqualTo(meta);
    }

    @Test
    void nf4HasNoGgufTypeAndSaysSo() {
        assertThatThrownBy(() -> GgufLlamaWriter.ggml(QuantFormat.NF4)).hasMessageContaining("NF4").hasMessageContaining("llama.cpp");
    }
}
