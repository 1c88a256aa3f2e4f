package ai.tarka.formats.llama2c;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.formats.gguf.GgufTensors;
import ai.tarka.formats.tensors.TensorEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real stories260K model as llama2.c {@code .bin} and as llama.cpp's conversion to GGUF. */
class Stories260KBinTest {

    @Test
    void headerAndShapes() {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(SharedData.resolve("stories260K/stories260K.bin"))) {
            assertThat(c.config()).isEqualTo(new Llama2cConfig(0, 64, 172, 5, 8, 4, 512, 512, true));
            assertThat(c.config().headSize()).isEqualTo(8);
            assertThat(c.config().kvDim()).isEqualTo(32);
            assertThat(c.entries()).hasSize(48);
            assertThat(c.find("layers.4.attention.wk.weight").shape()).containsExactly(32, 64);
            assertThat(c.find("layers.0.feed_forward.w2.weight").shape()).containsExactly(64, 172);
            assertThat(c.readFloats("output.weight")).containsExactly(c.readFloats("tok_embeddings.weight"));
            long params = 0;
            for (TensorEntry e : c.entries()) if (!e.name().equals("output.weight")) params += e.elementCount();
            assertThat(params).isEqualTo(512 * 64 + 5 * (64 + 64 * 64 * 2 + 32 * 64 * 2 + 64 + 3 * 172 * 64) + 64);
        }
    }

    /** Meta name in the .bin for each GGUF llama name. */
    static Map<String, String> ggufToMeta(int layers) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("token_embd.weight", "tok_embeddings.weight");
        m.put("output_norm.weight", "norm.weight");
        m.put("output.weight", "output.weight");
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".", l = "layers." + i + ".";
            m.put(b + "attn_norm.weight", l + "attention_norm.weight");
            m.put(b + "attn_q.weight", l + "attention.wq.weight");
            m.put(b + "attn_k.weight", l + "attention.wk.weight");
            m.put(b + "attn_v.weight", l + "attention.wv.weight");
            m.put(b + "attn_output.weight", l + "attention.wo.weight");
            m.put(b + "ffn_norm.weight", l + "ffn_norm.weight");
            m.put(b + "ffn_gate.weight", l + "feed_forward.w1.weight");
            m.put(b + "ffn_down.weight", l + "feed_forward.w2.weight");
            m.put(b + "ffn_up.weight", l + "feed_forward.w3.weight");
        }
        return m;
    }

    @Test
    void everyGgufTensorIsBitIdenticalToTheBinTensorItCameFrom() {
        try (Llama2cCheckpoint bin = Llama2cCheckpoint.open(SharedData.resolve("stories260K/stories260K.bin"));
             GgufTensors gguf = GgufTensors.open(SharedData.resolve("stories260K/stories260K.gguf"))) {
            Map<String, String> names = ggufToMeta(bin.config().nLayers());
            assertThat(names.keySet()).containsExactlyInAnyOrderElementsOf(gguf.entries().stream().map(TensorEntry::name).toList());
            for (Map.Entry<String, String> n : names.entrySet()) {
                assertThat(gguf.find(n.getKey()).shape()).as(n.getKey()).containsExactly(bin.find(n.getValue()).shape());
                // bit-identical, q and k included: llama.cpp's llama2c converter keeps Meta's interleaved-pair rows,
                // which is also the row order llama.cpp's own RoPE expects for the llama architecture
                assertThat(gguf.readFloats(n.getKey())).as(n.getKey()).containsExactly(bin.readFloats(n.getValue()));
            }
        }
    }
}
