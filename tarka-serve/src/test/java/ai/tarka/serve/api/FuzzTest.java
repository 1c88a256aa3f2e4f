package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.serve.TarkaServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed, truncated, oversized and type-confused bodies get only 4xx answers, and the server keeps serving. */
class FuzzTest {
    static TarkaServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = Stories260K.start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String GOOD_CHAT = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}],"
            + "\"max_tokens\":3,\"temperature\":0.5,\"top_p\":0.9,\"n\":1,\"stop\":[\"x\"],\"logprobs\":true,\"top_logprobs\":2,"
            + "\"logit_bias\":{\"5\":1},\"seed\":3,\"stream\":false}";
    static final String GOOD_COMPLETION = "{\"model\":\"stories260K\",\"prompt\":\"Once\",\"max_tokens\":3,\"echo\":true,"
            + "\"logprobs\":1,\"stop_token_ids\":[2],\"min_tokens\":1}";

    /** Values of every JSON type, for replacing a field's value. */
    static final String[] CONFUSERS = {"null", "true", "-1", "0", "1e309", "-1e309", "99999999999999999999999", "\"\"",
            "\"x\"", "[]", "[[]]", "{}", "{\"a\":1}", "[1,\"a\",null]", "3.5", "-0.0", "\"\\ud800\"", "[-5]", "[1e10]"};

    static List<String> bodies(Random r) {
        List<String> out = new ArrayList<>();
        for (String good : new String[] {GOOD_CHAT, GOOD_COMPLETION}) {
            for (int cut = 1; cut < good.length(); cut += 1 + r.nextInt(9)) out.add(good.substring(0, cut));   // truncated
            // type confusion: every field's value replaced by each confuser
            for (String field : fieldsOf(good)) {
                for (String c : CONFUSERS) out.add(replaceValue(good, field, c));
            }
            for (int i = 0; i < 30; i++) {                                       // random byte flips
                char[] cs = good.toCharArray();
                cs[r.nextInt(cs.length)] = (char) (32 + r.nextInt(95));
                out.add(new String(cs));
            }
        }
        out.addAll(List.of("", "null", "[]", "42", "\"str\"", "{", "}", "{\"messages\":null}", "{\"prompt\":null}",
                "{\"messages\":[{}]}", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"a\"}]}", "[".repeat(5000),
                "{\"a\":".repeat(3000), "{\"prompt\":\"" + "é".repeat(20000) + "\",\"max_tokens\":1}", "\u0000\u0001",
                "{\"prompt\":\"a\",\"prompt\":\"b\"}", "{\"prompt\":[1,2,99999]}", "{\"prompt\":\"a\",\"n\":1000}",
                "{\"prompt\":\"a\",\"stream_options\":{\"include_usage\":true}}", "{\"prompt\":\"a\"} trailing"));
        return out;
    }

    static List<String> fieldsOf(String json) {
        List<String> f = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"([a-z_]+)\":").matcher(json);
        while (m.find()) f.add(m.group(1));
        return f;
    }

    /** Replaces the first value of {@code field} (up to the next top-level comma or brace) by {@code value}. */
    static String replaceValue(String json, String field, String value) {
        int at = json.indexOf("\"" + field + "\":") + field.length() + 3;
        int depth = 0, end = at;
        boolean inString = false;
        for (; end < json.length(); end++) {
            char ch = json.charAt(end);
            if (inString) {
                if (ch == '\\') end++;
                else if (ch == '"') inString = false;
                continue;
            }
            if (ch == '"') inString = true;
            else if (ch == '[' || ch == '{') depth++;
            else if (ch == ']' || ch == '}') {
                if (depth == 0) break;
                depth--;
            } else if (ch == ',' && depth == 0) break;
        }
        return json.substring(0, at) + value + json.substring(end);
    }

    @Test
    void onlyClientErrorsAndTheServerKeepsServing() {
        Random r = new Random(2024);
        int bad = 0;
        for (String body : bodies(r)) {
            for (String path : new String[] {"/v1/chat/completions", "/v1/completions"}) {
                int status = http.post(path, body).status();
                assertThat(status).as("%s %s", path, body.length() > 200 ? body.substring(0, 200) + "..." : body)
                        .isIn(200, 400, 404, 413, 422);
                if (status != 200) bad++;
            }
        }
        assertThat(bad).isGreaterThan(100);
        assertThat(http.post("/tokenize", "{\"prompt\":5}").status()).isEqualTo(400);
        assertThat(http.post("/detokenize", "{\"tokens\":[\"a\"]}").status()).isEqualTo(400);
        assertThat(http.post("/v1/chat/completions", GOOD_CHAT).status()).isEqualTo(200);
        assertThat(http.post("/v1/completions", GOOD_COMPLETION).status()).isEqualTo(200);
        assertThat(server.engine().usedBlocks()).isZero();
    }
}
