package ai.tarka.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarka bench serve}: a load generator for an OpenAI-compatible server, like vLLM's {@code bench serve}. Sends
 * N streaming completion requests (random token prompts, or windows of a tokenised text file, optionally sharing a
 * prefix) at a Poisson rate or with fixed concurrency, and reports completed/failed requests, request and token
 * throughput, and TTFT, TPOT, ITL and end-to-end latency (mean, median, p99).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Load-test a running 'tarka serve' (or any OpenAI-compatible server): throughput and TTFT/TPOT/ITL/latency.")
public final class ServeBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--base-url", defaultValue = "http://127.0.0.1:8000", description = "Server (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--model", description = "Model name (default: the first of /v1/models).")
    String model;

    @Option(names = "--api-key", description = "Bearer token.")
    String apiKey;

    @Option(names = "--num-prompts", defaultValue = "100", description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int numPrompts;

    @Option(names = "--request-rate", defaultValue = "inf", description = "Poisson arrival rate in requests/s, 'inf' sends all at once (default: ${DEFAULT-VALUE}).")
    String requestRate;

    @Option(names = "--max-concurrency", defaultValue = "0", description = "Most requests in flight, 0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxConcurrency;

    @Option(names = "--input-len", defaultValue = "32", description = "Prompt tokens per request, after the shared prefix (default: ${DEFAULT-VALUE}).")
    int inputLen;

    @Option(names = "--prefix-len", defaultValue = "0", description = "Tokens of a prefix shared by every prompt (default: ${DEFAULT-VALUE}).")
    int prefixLen;

    @Option(names = "--output-len", defaultValue = "64", description = "Tokens generated per request, EOS ignored (default: ${DEFAULT-VALUE}).")
    int outputLen;

    @Option(names = "--prompt-file", description = "Text file whose tokenisation (via /tokenize) supplies the prompts; default random token ids.")
    Path promptFile;

    @Option(names = "--vocab", defaultValue = "256", description = "Random prompt token ids are drawn from [3, vocab) (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for prompts and arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON records.")
    Path json;

    @Option(names = "--disconnect-fraction", defaultValue = "0",
            description = "Fraction of requests whose client hangs up mid-stream (soak tests; default: ${DEFAULT-VALUE}).")
    double disconnectFraction;

    /** Timings of one request; {@code error} null when it completed. */
    record Result(boolean ok, int promptTokens, int outputTokens, double ttft, double e2e, List<Double> itl, String error) {}

    /** A request whose client hung up on purpose after {@code chunks} chunks. */
    private static final String DISCONNECTED = "disconnected on purpose";

    @Override
    public Integer call() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        if (model == null) model = JSON.readTree(get(client, "/v1/models")).get("data").get(0).get("id").asText();
        List<int[]> prompts = prompts(client, new Random(seed));
        Random hangups = new Random(seed + 2);
        int[] hangAfter = new int[prompts.size()];
        for (int i = 0; i < hangAfter.length; i++) {
            hangAfter[i] = hangups.nextDouble() < disconnectFraction ? 1 + hangups.nextInt(Math.max(1, outputLen / 2)) : -1;
        }
        double rate = requestRate.equalsIgnoreCase("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(requestRate);
        Random arrivals = new Random(seed + 1);
        Semaphore slots = maxConcurrency > 0 ? new Semaphore(maxConcurrency) : null;
        List<Future<Result>> futures = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < prompts.size(); k++) {
                int[] prompt = prompts.get(k);
                int hang = hangAfter[k];
                if (slots != null) slots.acquire();
                futures.add(pool.submit(() -> {
                    try {
                        return send(client, prompt, hang);
                    } finally {
                        if (slots != null) slots.release();
                    }
                }));
                if (!Double.isInfinite(rate)) Thread.sleep((long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1000));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Result> results = new ArrayList<>();
        for (Future<Result> f : futures) results.add(f.get());
        return report(results, seconds) == 0 ? 0 : 1;
    }

    private List<int[]> prompts(HttpClient client, Random r) throws Exception {
        int[] pool;
        if (promptFile != null) {
            ObjectNode body = JSON.createObjectNode();
            body.put("model", model);
            body.put("prompt", Files.readString(promptFile));
            body.put("add_special_tokens", false);
            JsonNode t = JSON.readTree(post(client, "/tokenize", JSON.writeValueAsString(body)));
            pool = new int[t.get("tokens").size()];
            for (int i = 0; i < pool.length; i++) pool[i] = t.get("tokens").get(i).asInt();
            if (pool.length < prefixLen + inputLen + 1) {
                throw new IllegalArgumentException("--prompt-file " + promptFile + ": " + pool.length + " tokens, fewer than "
                        + "--prefix-len + --input-len");
            }
        } else {
            pool = null;
        }
        int[] prefix = window(pool, r, prefixLen);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < numPrompts; i++) {
            int[] p = Arrays.copyOf(prefix, prefixLen + inputLen);
            System.arraycopy(window(pool, r, inputLen), 0, p, prefixLen, inputLen);
            out.add(p);
        }
        return out;
    }

    private int[] window(int[] pool, Random r, int n) {
        int[] w = new int[n];
        if (pool == null) {
            for (int i = 0; i < n; i++) w[i] = 3 + r.nextInt(Math.max(1, vocab - 3));
        } else {
            int at = r.nextInt(pool.length - n);
            System.arraycopy(pool, at, w, 0, n);
        }
        return w;
    }

    private Result send(HttpClient client, int[] prompt, int hangAfter) {
        long t0 = System.nanoTime();
        try {
            ObjectNode body = JSON.createObjectNode();
            body.put("model", model);
            var p = body.putArray("prompt");
            for (int id : prompt) p.add(id);
            body.put("max_tokens", outputLen);
            body.put("ignore_eos", true);
            body.put("temperature", 0.0);
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
            HttpResponse<InputStream> resp = client.send(request("/v1/completions")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                try (InputStream in = resp.body()) {
                    return new Result(false, 0, 0, 0, 0, List.of(), resp.statusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            double ttft = -1;
            long last = 0;
            List<Double> itl = new ArrayList<>();
            int promptTokens = prompt.length, outputTokens = 0;
            boolean done = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (!line.startsWith("data: ")) continue;
                    String data = line.substring(6);
                    if (data.equals("[DONE]")) {
                        done = true;
                        break;
                    }
                    long now = System.nanoTime();
                    // The load generator shares the server's cores, so it parses only what it needs: a token chunk
                    // is recognised by its non-empty choices, and only the usage chunk (once per request) is parsed.
                    if (valueStartsWith(data, "\"usage\"", "{")) {
                        JsonNode usage = JSON.readTree(data).get("usage");
                        promptTokens = usage.get("prompt_tokens").asInt();
                        outputTokens = usage.get("completion_tokens").asInt();
                    }
                    if (!valueStartsWith(data, "\"choices\"", "[{")) continue;
                    if (hangAfter > 0 && itl.size() + 1 >= hangAfter) {
                        return new Result(false, promptTokens, 0, 0, 0, List.of(), DISCONNECTED);   // closes the stream
                    }
                    if (ttft < 0) ttft = (now - t0) / 1e9;
                    else itl.add((now - last) / 1e9);
                    last = now;
                }
            }
            double e2e = (System.nanoTime() - t0) / 1e9;
            if (!done) return new Result(false, promptTokens, outputTokens, ttft, e2e, itl, "stream ended without [DONE]");
            return new Result(true, promptTokens, outputTokens, ttft, e2e, itl, null);
        } catch (Exception e) {
            return new Result(false, 0, 0, 0, 0, List.of(), e.toString());
        }
    }

    /**
     * Whether the value of the first {@code key} in a JSON text starts with the characters of {@code open} (white
     * space allowed between them): {@code "choices": [ {} } is a chunk with a token, {@code "choices":[]} is not.
     */
    static boolean valueStartsWith(String json, String key, String open) {
        int i = json.indexOf(key);
        if (i < 0) return false;
        i += key.length();
        for (int k = 0; k < open.length(); k++) {
            while (i < json.length() && (Character.isWhitespace(json.charAt(i)) || (k == 0 && json.charAt(i) == ':'))) i++;
            if (i >= json.length() || json.charAt(i) != open.charAt(k)) return false;
            i++;
        }
        return true;
    }

    /** Prints the table (and JSON) and returns the number of failed requests. */
    private long report(List<Result> results, double seconds) throws Exception {
        List<Result> ok = results.stream().filter(Result::ok).toList();
        long hungUp = results.stream().filter(r -> DISCONNECTED.equals(r.error())).count();
        long serverErrors = results.stream().filter(r -> r.error() != null && r.error().startsWith("5")).count();
        long failed = results.size() - ok.size() - hungUp;
        long in = ok.stream().mapToLong(Result::promptTokens).sum(), out = ok.stream().mapToLong(Result::outputTokens).sum();
        double[] ttft = ok.stream().mapToDouble(r -> r.ttft() * 1000).toArray();
        double[] e2e = ok.stream().mapToDouble(r -> r.e2e() * 1000).toArray();
        double[] tpot = ok.stream().filter(r -> r.outputTokens() > 1)
                .mapToDouble(r -> (r.e2e() - r.ttft()) * 1000 / (r.outputTokens() - 1)).toArray();
        double[] itl = ok.stream().flatMap(r -> r.itl().stream()).mapToDouble(d -> d * 1000).toArray();
        BenchReport rep = new BenchReport("tarka bench serve: " + model + " at " + baseUrl, "metric", "value");
        rep.context("requests", results.size()).context("request rate", requestRate).context("max concurrency", maxConcurrency)
                .context("prompt tokens", prefixLen + "+" + inputLen).context("output tokens", outputLen);
        rep.row("completed", Integer.toString(ok.size()));
        rep.row("failed", Long.toString(failed));
        rep.row("server errors (5xx)", Long.toString(serverErrors));
        if (disconnectFraction > 0) rep.row("hung up on purpose", Long.toString(hungUp));
        rep.row("duration (s)", fmt(seconds));
        rep.row("request throughput (req/s)", fmt(ok.size() / seconds));
        rep.row("output token throughput (tok/s)", fmt(out / seconds));
        rep.row("total token throughput (tok/s)", fmt((in + out) / seconds));
        rep.record(BenchRecord.of("completed", ok.size(), "requests"));
        rep.record(BenchRecord.of("failed", failed, "requests"));
        rep.record(BenchRecord.of("server_errors", serverErrors, "requests"));
        rep.record(BenchRecord.of("hung_up", hungUp, "requests"));
        rep.record(BenchRecord.of("request_throughput", ok.size() / seconds, "req/s"));
        rep.record(BenchRecord.of("output_throughput", out / seconds, "tok/s"));
        rep.record(BenchRecord.of("total_token_throughput", (in + out) / seconds, "tok/s"));
        for (var m : new Object[][] {{"ttft", ttft}, {"tpot", tpot}, {"itl", itl}, {"e2el", e2e}}) {
            String name = (String) m[0];
            double[] v = (double[]) m[1];
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double median = percentile(v, 50), p99 = percentile(v, 99);
            rep.row("mean " + name + " (ms)", fmt(mean));
            rep.row("median " + name + " (ms)", fmt(median));
            rep.row("p99 " + name + " (ms)", fmt(p99));
            rep.record(BenchRecord.of("mean_" + name, mean, "ms"));
            rep.record(BenchRecord.of("median_" + name, median, "ms"));
            rep.record(BenchRecord.of("p99_" + name, p99, "ms"));
        }
        rep.print(System.out);
        results.stream().filter(r -> !r.ok() && !DISCONNECTED.equals(r.error())).limit(5).forEach(r -> System.out.println("  failed: " + r.error()));
        if (json != null) rep.writeJson(json);
        return failed;
    }

    /** Linear interpolation between closest ranks (NumPy's default), NaN when empty. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = p / 100 * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/json");
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private String get(HttpClient client, String path) throws Exception {
        return check(client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()), path);
    }

    private String post(HttpClient client, String path, String body) throws Exception {
        return check(client.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()), path);
    }

    private static String check(HttpResponse<String> r, String path) {
        if (r.statusCode() != 200) throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }
}
