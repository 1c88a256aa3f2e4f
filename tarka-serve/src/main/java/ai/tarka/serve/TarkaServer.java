package ai.tarka.serve;

import ai.tarka.inference.LlamaWeights;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.serve.api.OpenAiServer;
import ai.tarka.serve.api.ServedModel;
import ai.tarka.serve.engine.Engine;
import ai.tarka.serve.engine.EngineConfig;
import ai.tarka.serve.kv.PagedKvCache;
import ai.tarka.serve.metrics.ServeMetrics;
import ai.tarka.serve.model.PagedLlama;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chat.ChatTemplate;

/** A running {@code tarka serve}: model, engine, metrics and HTTP server wired together. */
public final class TarkaServer implements AutoCloseable {
    private final OpenAiServer http;
    private final Engine engine;
    private final ServeMetrics metrics;
    private final String name;
    private final PagedLlama model;
    /** Mapped or re-encoded weights the model multiplies in place (null for an F32 model): released after the engine. */
    private final AutoCloseable weights;

    private TarkaServer(OpenAiServer http, Engine engine, ServeMetrics metrics, String name, PagedLlama model,
                        AutoCloseable weights) {
        this.http = http;
        this.engine = engine;
        this.metrics = metrics;
        this.name = name;
        this.model = model;
        this.weights = weights;
    }

    /** Loads the model the options name and starts serving it. */
    public static TarkaServer start(ServeOptions o) {
        ModelLoading.Loaded l = ModelLoading.load(o.model(), o.tokenizer(), o.maxModelLen(), o.quantize());
        String name = o.servedName() != null ? o.servedName() : l.name();
        if (l.weights() != null) return start(l.weights(), l.tokenizer(), l.chatTemplate(), name, o);
        return start(l.model(), l.tokenizer(), l.chatTemplate(), name, o);
    }

    /** Serves an already built F32 model (its projections packed for {@code PanelMatmul}). */
    public static TarkaServer start(CausalLm model, TextTokenizer tokenizer, ChatTemplate template, String name, ServeOptions o) {
        return start(new PagedLlama(model), model.config(), null, tokenizer, template, name, o);
    }

    /**
     * Serves tarka-inference's weights as they are (quantised matrices multiplied in place); the server owns
     * {@code weights} and closes them when it closes (or fails to start).
     */
    public static TarkaServer start(LlamaWeights weights, TextTokenizer tokenizer, ChatTemplate template, String name,
                                    ServeOptions o) {
        try {
            return start(new PagedLlama(weights), weights.config(), weights, tokenizer, template, name, o);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static TarkaServer start(PagedLlama paged, ModelConfig config, AutoCloseable weights, TextTokenizer tokenizer,
                                     ChatTemplate template, String name, ServeOptions o) {
        java.util.LinkedHashMap<String, Integer> adapters = new java.util.LinkedHashMap<>();
        for (var e : o.loras().entrySet()) {
            if (e.getKey().equals(name) || adapters.containsKey(e.getKey())) {
                throw new IllegalArgumentException("--lora " + e.getKey() + ": the name is already in use");
            }
            adapters.put(e.getKey(), paged.addAdapter(e.getKey(), e.getValue()));
        }
        int blocks = PagedKvCache.blocksFor(o.kvCacheBytes(), paged.numLayers(), o.blockSize(), paged.kvDim());
        if (blocks < 1) {
            throw new IllegalArgumentException("--kv-cache-memory " + o.kvCacheBytes() + " bytes is less than one KV block ("
                    + PagedKvCache.bytesPerBlock(paged.numLayers(), o.blockSize(), paged.kvDim()) + " bytes)");
        }
        int eos = config.eosTokenId() >= 0 ? config.eosTokenId() : TokenizerLoader.eosId(tokenizer);
        ServeMetrics metrics = new ServeMetrics(name);
        Engine engine = new Engine(paged, tokenizer, eos,
                new EngineConfig(o.blockSize(), blocks, o.maxNumSeqs(), o.maxBatchedTokens(), o.prefillChunkWhileDecoding(),
                        o.maxWaiting(), o.prefixCaching()),
                metrics);
        try {
            ServedModel served = new ServedModel(name, engine, tokenizer, template, config.bosTokenId(), adapters);
            OpenAiServer http = new OpenAiServer(served, metrics, o.host(), o.port(), o.apiKey(), o.maxBodyBytes());
            return new TarkaServer(http, engine, metrics, name, paged, weights);
        } catch (RuntimeException e) {
            engine.close(1000);
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public String modelName() {
        return name;
    }

    public Engine engine() {
        return engine;
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    /** The model the engine steps (for its memory figures). */
    public PagedLlama model() {
        return model;
    }

    /** Graceful shutdown: no new connections, running requests finish or are cancelled, the engine thread ends. */
    @Override
    public void close() {
        http.close();     // stops the engine thread too, before the weights it reads go
        if (weights != null) {
            try {
                weights.close();
            } catch (Exception e) {
                throw new IllegalStateException("tarka serve: cannot release the weights: " + e.getMessage(), e);
            }
        }
    }
}
