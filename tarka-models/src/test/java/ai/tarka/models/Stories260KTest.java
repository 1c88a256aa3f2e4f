package ai.tarka.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.engine.Tensor;
import ai.tarka.tokenizers.llama2c.Llama2cTokenizers;
import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real stories260K model (Karpathy's tinyllamas; see shared/data/stories260K/PROVENANCE.md), loaded from the
 * llama2.c {@code .bin} ({@code Llama2cCheckpoint}) and from llama.cpp's GGUF conversion ({@code GgufTensors}) through
 * {@link LlamaCheckpoints} (Meta q/k row order permuted to HF's), reproduces the reference logits and llama2.c run.c's greedy text token for token.
 */
class Stories260KTest {
    static CausalLm fromBin;
    static CausalLm fromGguf;

    @BeforeAll
    static void load() throws Exception {
        Path dir = SharedData.resolve("stories260K");
        fromBin = LlamaCheckpoints.loadLlama2c(dir.resolve("stories260K.bin"));
        // the converter wrote its default context_length 128; the model was trained with 512 (the .bin's seq_len)
        fromGguf = LlamaCheckpoints.loadGguf(dir.resolve("stories260K.gguf"), 512);
    }

    @Test
    void bothSourcesDescribeTheSameModel() {
        // llama.cpp's converter stores the shared classifier as its own output.weight, so the GGUF is untied
        assertThat(fromGguf.config().tieWordEmbeddings()).isFalse();
        assertThat(fromGguf.config()).usingRecursiveComparison().ignoringFields("tieWordEmbeddings").isEqualTo(fromBin.config());
        assertThat(fromBin.config().numKvHeads()).isEqualTo(4);
        assertThat(fromBin.config().tieWordEmbeddings()).isTrue();
    }

    @Test
    void lastPositionLogitsMatchTheReferenceFromBothSources() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(SharedData.resolve("stories260K/expected-logits.json").toFile()).get("cases");
        assertThat(cases.size()).isEqualTo(2);
        for (JsonNode c : cases) {
            int[] ids = new int[c.get("input_ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.get("input_ids").get(i).intValue();
            float[] want = new float[c.get("logits_last_position").size()];
            for (int i = 0; i < want.length; i++) want[i] = c.get("logits_last_position").get(i).floatValue();
            for (CausalLm model : new CausalLm[] {fromBin, fromGguf}) {
                Tensor logits = model.forward(ids, null, 1, ids.length);
                float[] last = logits.slice(1, ids.length - 1, ids.length).toArray();
                double err = Closeness.maxRelativeError(last, want, Closeness.maxAbs(want));
                double abs = 0;
                for (int i = 0; i < want.length; i++) abs = Math.max(abs, Math.abs(last[i] - want[i]));
                System.out.printf("stories260K logits for %s: max relative error %.2e, max abs error %.2e%n",
                        Arrays.toString(ids), err, abs);
                assertThat(err).as("logits for %s", Arrays.toString(ids)).isLessThanOrEqualTo(1e-4);
            }
        }
    }

    @Test
    void greedyGenerationReproducesRunCTokenForToken() throws Exception {
        Path dir = SharedData.resolve("stories260K");
        int[] want = Arrays.stream(Files.readAllLines(dir.resolve("expected-greedy-200.ids.txt")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow().trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
        assertThat(want).hasSize(200);
        int[] bos = {Llama2cTokenizers.BOS};
        int[] fromBinIds = Generator.generate(fromBin, bos, 200, SamplingParams.greedy(), Llama2cTokenizers.BOS);
        int[] fromGgufIds = Generator.generate(fromGguf, bos, 200, SamplingParams.greedy(), Llama2cTokenizers.BOS);
        assertThat(fromBinIds).containsExactly(want);
        assertThat(fromGgufIds).containsExactly(want);

        SentencePieceBpeTokenizer tok = Llama2cTokenizers.load(dir.resolve("tok512.bin"));
        String text = Files.readString(dir.resolve("expected-greedy-200.txt"), StandardCharsets.UTF_8);
        assertThat(tok.decode(fromBinIds) + "\n").isEqualTo(text);
    }
}
