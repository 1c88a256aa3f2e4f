package ai.tarka.cli.generate;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.inference.GenerationResult;
import ai.tarka.inference.KvPrecision;
import ai.tarka.inference.LlamaInference;
import ai.tarka.inference.LlamaWeights;
import ai.tarka.inference.StopCondition;
import ai.tarka.inference.TextGenerator;
import ai.tarka.inference.sampling.SampledToken;
import ai.tarka.inference.sampling.SamplingParams;
import ai.tarka.inference.sampling.TokenLogprob;
import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.tokenizers.TextTokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka generate}: text from a model file, streamed as it is produced. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a GGUF, llama2.c .bin, safetensors or Tarka checkpoint, streaming it as it comes.")
public final class GenerateCommand implements Callable<Integer>, StagedCommand {
    @Option(names = "--model", required = true, description = "Model: .gguf, llama2.c .bin, safetensors file or directory with config.json.")
    Path model;

    @Option(names = "--tokenizer", description = "Tokenizer (default: the GGUF's own, or tokenizer.json / tokenizer.bin / tok*.bin beside the model).")
    Path tokenizer;

    @Option(names = "--prompt", description = "Prompt text (default: empty, generation starts from BOS).")
    String prompt;

    @Option(names = "--prompt-file", description = "Read the prompt from this UTF-8 file.")
    Path promptFile;

    @Option(names = {"--max-tokens", "-n"}, defaultValue = "256", description = "Most new tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--min-tokens", defaultValue = "0", description = "Fewest new tokens: stop tokens are banned until then.")
    int minTokens;

    @Option(names = {"--temperature", "-t"}, defaultValue = "1.0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}, off).")
    float topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (default: 0, off).")
    int topK;

    @Option(names = "--min-p", defaultValue = "0", description = "Drop tokens below min-p x the top probability (default: 0, off).")
    float minP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "Penalty for prompt/output tokens (default: 1, off).")
    float repetitionPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", description = "Subtracted once per generated token id.")
    float presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", description = "Subtracted per occurrence of a generated token id.")
    float frequencyPenalty;

    @Option(names = "--logit-bias", split = ",", description = "ID=BIAS pairs added to logits, e.g. 13=-100,29=2.5.")
    List<String> logitBias = new ArrayList<>();

    @Option(names = "--stop", description = "Stop string (repeatable); the output is cut before it.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--stop-id", description = "Stop token id (repeatable); the model's EOS is always one unless --ignore-eos.")
    List<Integer> stopIds = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "Do not stop at the model's end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--seed", description = "Random seed (default: from the clock; printed at the end).")
    Long seed;

    @picocli.CommandLine.Mixin
    ModelLoadOptions load;

    @Option(names = "--no-bos", description = "Do not put the model's BOS token before the prompt.")
    boolean noBos;

    @Option(names = "--logprobs", defaultValue = "0", description = "Print each generated token's logprob and the N most likely alternatives (to stderr, at the end).")
    int logprobs;

    @Option(names = "--prompt-lookup", defaultValue = "0", description = "Greedy only: verify up to N tokens drafted by prompt lookup (n-grams of the prompt and output) per step (default: 0, off).")
    int promptLookup;

    @Override
    public Stage stage() {
        return Stage.INFER;
    }

    @Override
    public Integer call() throws Exception {
        if (prompt != null && promptFile != null) throw new IllegalArgumentException("generate: give --prompt or --prompt-file, not both");
        String text = promptFile != null ? Files.readString(promptFile, StandardCharsets.UTF_8) : prompt == null ? "" : prompt;
        KvPrecision kv = load.kvPrecision("generate");
        long t0 = System.nanoTime();
        TextTokenizer tok = ModelTokenizerLocator.load(model, tokenizer);
        if (Files.isRegularFile(model.resolve("config.json"))) {
            ai.tarka.models.ModelConfig cfg = ai.tarka.models.HfModelConfig.read(model.resolve("config.json"));
            if (cfg.architecture() != ai.tarka.models.ModelArchitecture.LLAMA) return generateWithModel(cfg, tok, text, t0);
        }
        try (ModelLoadOptions.Loaded both = load.load(model)) {
            LlamaWeights weights = both.weights();
            int ctx = load.context(weights);
            int[] body = text.isEmpty() ? new int[0] : tok.encode(text);
            int bos = weights.config().bosTokenId();
            boolean addBos = !noBos && bos >= 0 && (body.length == 0 || body[0] != bos);
            int[] ids = new int[body.length + (addBos ? 1 : 0)];
            if (addBos) ids[0] = bos;
            System.arraycopy(body, 0, ids, addBos ? 1 : 0, body.length);
            if (ids.length == 0) throw new IllegalArgumentException("generate: empty prompt and the model has no BOS token; give --prompt");
            if (ids.length >= ctx)
                throw new IllegalArgumentException("generate: the prompt is " + ids.length + " tokens but the context is " + ctx
                        + " tokens (" + model + "); shorten it or raise --context");
            LlamaInference m = new LlamaInference(weights, ctx, 64);
            long s = seed != null ? seed : System.nanoTime();
            SamplingParams params = new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty,
                    frequencyPenalty, parseBias(logitBias), s, logprobs);
            List<Integer> stopList = new ArrayList<>(stopIds);
            int eos = weights.config().eosTokenId();
            if (!ignoreEos && eos >= 0) stopList.add(eos);
            StopCondition stop = new StopCondition(maxTokens, minTokens, stopList.stream().mapToInt(Integer::intValue).toArray(), stops);
            long loadNanos = System.nanoTime() - t0;
            PrintStream o = System.out;
            o.print(text);
            o.flush();
            if (promptLookup > 0) return speculative(m, tok, ids, stop, o, loadNanos, weights);
            GenerationResult r = new TextGenerator(m, tok, kv).generate(ids, params, stop, piece -> {
                o.print(piece);
                o.flush();
            });
            o.println();
            PrintStream err = System.err;
            if (logprobs > 0) {
                for (SampledToken t : r.sampled()) {
                    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%6d %8.4f  %s", t.id(), t.logprob(), quote(tok, t.id())));
                    for (TokenLogprob a : t.top()) b.append(String.format(Locale.ROOT, "  %s %.4f", quote(tok, a.id()), a.logprob()));
                    err.println(b);
                }
            }
            err.printf(Locale.ROOT, "load: %.2f s (%s, %s)%n", loadNanos / 1e9, weights.source(), ModelFacts.describe(weights));
            err.printf(Locale.ROOT, "prompt: %d tokens in %.3f s, %.1f tokens/s%n", r.promptTokens(), r.prefillNanos() / 1e9, r.promptTokensPerSecond());
            err.printf(Locale.ROOT, "generation: %d tokens in %.3f s, %.1f tokens/s (finish: %s, seed %d)%n", r.sampled().size(),
                    r.decodeNanos() / 1e9, r.decodeTokensPerSecond(), r.finishReason().toString().toLowerCase(Locale.ROOT), s);
            return 0;
        }
    }

    /**
     * Architectures the fast inference path does not cover yet (GPT-2): the model's own forward with its KV cache
     * ({@link ai.tarka.models.Generator}; temperature, top-k, top-p, seed, stop ids). The text is printed when done.
     */
    private int generateWithModel(ai.tarka.models.ModelConfig cfg, TextTokenizer tok, String text, long t0) {
        ai.tarka.models.CausalLm lm = ai.tarka.models.Models.empty(cfg);
        try (ai.tarka.formats.tensors.TensorSource src = ai.tarka.formats.tensors.TensorSources.open(model)) {
            ai.tarka.models.ModelWeights.load(lm, src);
        }
        int[] body = text.isEmpty() ? new int[0] : tok.encode(text);
        int bos = cfg.bosTokenId();
        boolean addBos = !noBos && bos >= 0 && (body.length == 0 || body[0] != bos);
        int[] ids = new int[body.length + (addBos ? 1 : 0)];
        if (addBos) ids[0] = bos;
        System.arraycopy(body, 0, ids, addBos ? 1 : 0, body.length);
        if (ids.length == 0) throw new IllegalArgumentException("generate: empty prompt and the model has no BOS token; give --prompt");
        int room = cfg.maxPositions() - ids.length + 1;
        if (room <= 0) {
            throw new IllegalArgumentException("generate: the prompt is " + ids.length + " tokens but the model has "
                    + cfg.maxPositions() + " positions (" + model + "); shorten it");
        }
        int n = Math.min(maxTokens, room);
        if (n < maxTokens) System.err.printf(Locale.ROOT, "generate: %d new tokens fit in the model's %d positions%n", n, cfg.maxPositions());
        List<Integer> stopList = new ArrayList<>(stopIds);
        int eos = cfg.eosTokenId() >= 0 ? cfg.eosTokenId() : ai.tarka.tokenizers.TokenizerLoader.eosId(tok);
        if (!ignoreEos && eos >= 0) stopList.add(eos);
        long s = seed != null ? seed : System.nanoTime();
        long loadNanos = System.nanoTime() - t0;
        long g0 = System.nanoTime();
        int[] out = ai.tarka.models.Generator.generate(lm, ids, n,
                new ai.tarka.models.SamplingParams(temperature, topK, topP, s), stopList.stream().mapToInt(Integer::intValue).toArray());
        long genNanos = System.nanoTime() - g0;
        PrintStream o = System.out;
        o.print(text);
        o.println(tok.decode(out));
        o.flush();
        System.err.printf(Locale.ROOT, "load: %.2f s (%s, %s, %,d parameters; the model's own forward, not the fast path)%n",
                loadNanos / 1e9, model, cfg.architecture(), lm.module().numParameters());
        System.err.printf(Locale.ROOT, "generation: %d prompt + %d new tokens in %.3f s, %.1f new tokens/s (seed %d)%n",
                ids.length, out.length, genNanos / 1e9, out.length / Math.max(1e-9, genNanos / 1e9), s);
        return 0;
    }

    private int speculative(LlamaInference m, TextTokenizer tok, int[] ids, StopCondition stop, PrintStream o, long loadNanos,
                            LlamaWeights weights) {
        if (temperature != 0) throw new IllegalArgumentException("generate: --prompt-lookup is lossless only for greedy decoding; add -t 0");
        if (!stops.isEmpty() || minTokens > 0 || logprobs > 0)
            throw new IllegalArgumentException("generate: --prompt-lookup does not combine with --stop, --min-tokens or --logprobs yet");
        ai.tarka.inference.TextStream stream = new ai.tarka.inference.TextStream(tok);
        LlamaInference wide = new LlamaInference(weights, m.context(), Math.max(64, promptLookup + 1));
        ai.tarka.inference.PromptLookupDecoding.Result r = new ai.tarka.inference.PromptLookupDecoding(wide, 3, promptLookup)
                .generate(ids, maxTokens, stop.stopIds(), id -> {
                    o.print(stream.accept(id));
                    o.flush();
                });
        o.println(stream.finish());
        System.err.printf(Locale.ROOT, "load: %.2f s (%s, %s)%n", loadNanos / 1e9, weights.source(), ModelFacts.describe(weights));
        System.err.printf(Locale.ROOT, "prompt: %d tokens in %.3f s, %.1f tokens/s%n", ids.length, r.prefillNanos() / 1e9, ids.length * 1e9 / r.prefillNanos());
        System.err.printf(Locale.ROOT, "generation: %d tokens in %.3f s, %.1f tokens/s; %d steps, %d of %d drafted tokens accepted%n",
                r.tokens().length, r.decodeNanos() / 1e9, Math.max(0, r.tokens().length - 1) * 1e9 / Math.max(1, r.decodeNanos()),
                r.steps(), r.accepted(), r.drafted());
        return 0;
    }

    private static String quote(TextTokenizer tok, int id) {
        return "'" + tok.decode(new int[] {id}).replace("\n", "\\n") + "'";
    }

    private static Map<Integer, Float> parseBias(List<String> pairs) {
        Map<Integer, Float> m = new HashMap<>();
        for (String p : pairs) {
            String[] kv = p.split("=", 2);
            try {
                m.put(Integer.parseInt(kv[0].trim()), Float.parseFloat(kv[1].trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("generate: --logit-bias '" + p + "' is not ID=BIAS");
            }
        }
        return m;
    }
}
