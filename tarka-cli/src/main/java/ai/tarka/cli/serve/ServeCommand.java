package ai.tarka.cli.serve;

import ai.tarka.cli.Stage;
import ai.tarka.cli.StagedCommand;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.models.Models;
import ai.tarka.serve.ServeOptions;
import ai.tarka.serve.TarkaServer;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka serve}: the OpenAI-compatible server with continuous batching and a paged KV cache. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over an OpenAI-compatible HTTP API (chat/completions, completions, models, "
                + "tokenize, detokenize, health, version, metrics; a chat page at /).",
                "Continuous batching with a paged KV cache, prefix caching and chunked prefill."})
public final class ServeCommand implements Callable<Integer>, StagedCommand {

    @Option(names = "--model", paramLabel = "PATH", description = "GGUF file, llama2.c .bin, or folder with config.json + model.safetensors.")
    Path model;

    @Option(names = "--random-model", paramLabel = "PRESET",
            description = "Serve a randomly initialised model instead (for benchmarks): stories15M (dim 288, 6 layers, 6 heads, "
                    + "seq 256), stories42M (512, 8, 8, 1024) or stories260K (64, 5, 8/4 kv, 512); vocabulary from --tokenizer.")
    String randomModel;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "Tokenizer (default: inside the GGUF / next to the model).")
    Path tokenizer;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "Model name clients use (default: file name).")
    String name;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on /v1/*, /tokenize, /detokenize.")
    String apiKey;

    @Option(names = "--kv-cache-memory", defaultValue = "1G", paramLabel = "SIZE", description = "Memory of the paged KV cache (default: ${DEFAULT-VALUE}).")
    String kvCacheMemory;

    @Option(names = "--block-size", defaultValue = "16", description = "Tokens per KV block (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--max-num-seqs", defaultValue = "64", description = "Most sequences in a batch (default: ${DEFAULT-VALUE}).")
    int maxNumSeqs;

    @Option(names = "--max-num-batched-tokens", defaultValue = "2048", description = "Most tokens per step; longer prompts are prefilled in chunks (default: ${DEFAULT-VALUE}).")
    int maxBatchedTokens;

    @Option(names = "--prefill-chunk-while-decoding", defaultValue = "32", paramLabel = "TOKENS",
            description = "While sequences decode, most prompt tokens per step (at least one per decoding sequence), so a new request stalls running streams for a bounded time; 0: only --max-num-batched-tokens bounds it (default: ${DEFAULT-VALUE}).")
    int prefillChunkWhileDecoding;

    @Option(names = "--max-waiting", defaultValue = "256", description = "Most queued requests before answering 429 (default: ${DEFAULT-VALUE}).")
    int maxWaiting;

    @Option(names = "--no-prefix-caching", description = "Turn automatic prefix caching off.")
    boolean noPrefixCaching;

    @Option(names = "--max-body-size", defaultValue = "4M", paramLabel = "SIZE", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    String maxBody;

    @Option(names = "--max-model-len", defaultValue = "0", description = "Context length: for GGUF files whose metadata is shorter than the training context, and for --random-model.")
    int maxModelLen;

    @Option(names = "--lora", paramLabel = "NAME=PATH", description = "A PEFT LoRA adapter folder served as model NAME next to the base model (repeatable).")
    List<String> loras;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of --random-model weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Stage stage() {
        return Stage.INFER;
    }

    @Override
    public Integer call() throws Exception {
        java.util.LinkedHashMap<String, Path> adapters = new java.util.LinkedHashMap<>();
        for (String spec : loras == null ? List.<String>of() : loras) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) throw new IllegalArgumentException("--lora '" + spec + "': expected NAME=PATH");
            if (adapters.put(spec.substring(0, eq), Path.of(spec.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("--lora: adapter name '" + spec.substring(0, eq) + "' given twice");
            }
        }
        if ((model == null) == (randomModel == null)) throw new IllegalArgumentException("give exactly one of --model and --random-model");
        ServeOptions o = new ServeOptions(model, tokenizer, name, host, port, apiKey, ByteSize.parse("--kv-cache-memory", kvCacheMemory),
                blockSize, maxNumSeqs, maxBatchedTokens, maxWaiting, !noPrefixCaching, ByteSize.parse("--max-body-size", maxBody),
                maxModelLen, adapters, prefillChunkWhileDecoding);
        TarkaServer server;
        if (randomModel != null) {
            if (tokenizer == null) throw new IllegalArgumentException("--random-model needs --tokenizer");
            TextTokenizer tok = TokenizerLoader.load(tokenizer);
            int vocab = TokenizerLoader.vocabSize(tok);
            if (vocab <= 0) throw new IllegalArgumentException("--tokenizer " + tokenizer + ": vocabulary size unknown");
            CausalLm lm = Models.create(preset(randomModel, vocab, maxModelLen), seed);
            server = TarkaServer.start(lm, tok, null, name != null ? name : randomModel, o);
        } else {
            server = TarkaServer.start(o);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("tarka serve: shutting down");
            server.close();
            stopped.countDown();
        }));
        System.err.printf("tarka serve: %s on http://%s:%d (KV cache %d blocks of %d tokens)%n", server.modelName(), host,
                server.port(), server.engine().config().numBlocks(), blockSize);
        stopped.await();
        return 0;
    }

    static ModelConfig preset(String name, int vocab, int maxLen) {
        return switch (name) {
            case "stories15M" -> llama(vocab, 288, 6, 6, 6, 768, maxLen > 0 ? maxLen : 256);
            case "stories42M" -> llama(vocab, 512, 8, 8, 8, 1376, maxLen > 0 ? maxLen : 1024);
            case "stories260K" -> llama(vocab, 64, 5, 8, 4, 172, maxLen > 0 ? maxLen : 512);
            default -> throw new IllegalArgumentException("--random-model: unknown preset '" + name
                    + "' (stories15M, stories42M, stories260K)");
        };
    }

    private static ModelConfig llama(int vocab, int dim, int layers, int heads, int kv, int ff, int seq) {
        return ai.tarka.models.LlamaCheckpoints.llama2cConfig(dim, ff, layers, heads, kv, vocab, seq, true);
    }
}
