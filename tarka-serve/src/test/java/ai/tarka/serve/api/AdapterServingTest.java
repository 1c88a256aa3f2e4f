package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.formats.safetensors.NamedTensor;
import ai.tarka.formats.safetensors.SafetensorsWriter;
import ai.tarka.serve.TarkaServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-LoRA: requests pick an adapter by {@code model}; base and adapter requests run in the same batches. */
class AdapterServingTest {

    static void writeAdapter(Path dir, long seed) throws Exception {
        Random r = new Random(seed);
        int rank = 4;
        List<NamedTensor> t = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            for (String[] m : new String[][] {{"q_proj", "64"}, {"v_proj", "32"}}) {
                String base = "base_model.model.model.layers." + l + ".self_attn." + m[0];
                int out = Integer.parseInt(m[1]);
                float[] a = new float[rank * 64], b = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 0.5);
                for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextGaussian() * 0.5);
                t.add(new NamedTensor(base + ".lora_A.weight", new int[] {rank, 64}, a));
                t.add(new NamedTensor(base + ".lora_B.weight", new int[] {out, rank}, b));
            }
        }
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of("format", "pt"), t);
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 4, \"lora_alpha\": 8, \"peft_type\": \"LORA\"}");
    }

    @Test
    void adaptersAreListedSelectedByModelAndBatchedWithTheBase(@TempDir Path tmp) throws Exception {
        writeAdapter(tmp.resolve("a1"), 1);
        writeAdapter(tmp.resolve("a2"), 2);
        try (TarkaServer server = TarkaServer.start(Stories260K.options()
                .withLoras(Map.of("storyteller", tmp.resolve("a1"), "poet", tmp.resolve("a2"))))) {
            Http http = new Http(server.port());
            JsonNode models = http.get("/v1/models").json().get("data");
            assertThat(models).hasSize(3);
            assertThat(models.get(1).get("parent").asText()).isEqualTo("stories260K");
            String body = "{\"model\":\"%s\",\"prompt\":\"Once upon a time\",\"max_tokens\":24,\"temperature\":0}";
            String alone = text(http.post("/v1/completions", body.formatted("storyteller")).json());
            String base = text(http.post("/v1/completions", body.formatted("stories260K")).json());
            assertThat(alone).isNotEqualTo(base);
            // the same three requests at once share steps (and the prompt's cached blocks only within each model)
            var futures = new ArrayList<CompletableFuture<JsonNode>>();
            for (String m : new String[] {"stories260K", "storyteller", "poet"}) {
                futures.add(CompletableFuture.supplyAsync(() -> http.post("/v1/completions", body.formatted(m)).json()));
            }
            JsonNode b = futures.get(0).get(), s = futures.get(1).get(), p = futures.get(2).get();
            assertThat(text(b)).isEqualTo(base);
            assertThat(text(s)).isEqualTo(alone);
            assertThat(s.get("model").asText()).isEqualTo("storyteller");
            assertThat(text(p)).isNotEqualTo(alone).isNotEqualTo(base);
            assertThat(http.post("/v1/completions", body.formatted("nobody")).status()).isEqualTo(404);
        }
    }

    private static String text(JsonNode completion) {
        return completion.get("choices").get(0).get("text").asText();
    }
}
