package ai.tarka.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.common.SharedData;
import ai.tarka.eval.lm.CausalLmScorer;
import ai.tarka.eval.lm.ModelLoader;
import ai.tarka.serve.ServeOptions;
import ai.tarka.serve.TarkaServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluation harness's log-likelihoods equal what {@code tarka serve} reports for the same text through
 * {@code /v1/completions} with {@code echo} and {@code logprobs} (how lm-evaluation-harness scores a served model):
 * per token, and summed over a multiple-choice continuation.
 */
class ServedLogLikelihoodTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void harnessAndServerAgreeOnEveryTokenLogProb() throws Exception {
        Path dir = SharedData.resolve("stories260K");
        CausalLmScorer scorer = ModelLoader.load("stories260K", null);
        ServeOptions options = ServeOptions.defaults(dir.resolve("stories260K.gguf"))
                .withTokenizer(dir.resolve("tok512.bin")).withPort(0);
        String[][] cases = {
                {"Once upon a time, there was a little", " girl named Lily."},
                {"The cat sat on the", " mat and looked at the sun."},
                {"Tom and his mom went to the park.", " They played with a red ball all day."}};
        try (TarkaServer server = TarkaServer.start(options)) {
            HttpClient client = HttpClient.newHttpClient();
            for (String[] c : cases) {
                String text = c[0] + c[1];
                int[] ids = scorer.encode(text);
                int[] seq = new int[ids.length + 1];
                seq[0] = scorer.bos();
                System.arraycopy(ids, 0, seq, 1, ids.length);
                double[] harness = scorer.tokenLogProbs(List.of(seq), new int[] {1})[0];

                ObjectNode body = JSON.createObjectNode().put("model", "stories260K").put("prompt", text)
                        .put("max_tokens", 0).put("echo", true).put("logprobs", 0);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode lp = JSON.readTree(r.body()).get("choices").get(0).get("logprobs").get("token_logprobs");
                // the server's first entry is the BOS-conditioned first token or null (OpenAI's convention for
                // the first prompt token); align from the end, where both describe the same text tokens
                int n = harness.length;
                assertThat(lp.size()).isGreaterThanOrEqualTo(n);
                int offset = lp.size() - n;
                double sumHarness = 0, sumServer = 0;
                int contFrom = n - scorer.encode(c[1]).length;
                for (int i = 0; i < n; i++) {
                    JsonNode v = lp.get(offset + i);
                    if (v.isNull()) continue; // not scored by the server: skip the same position on both sides
                    assertThat(v.asDouble()).as("token %d of '%s'", i, text).isCloseTo(harness[i],
                            org.assertj.core.data.Offset.offset(1e-4));
                    if (i >= contFrom) {
                        sumHarness += harness[i];
                        sumServer += v.asDouble();
                    }
                }
                assertThat(sumServer).as("continuation log-likelihood of '%s'", c[1])
                        .isCloseTo(sumHarness, org.assertj.core.data.Offset.offset(1e-4)).isNegative();
            }
        }
    }
}
