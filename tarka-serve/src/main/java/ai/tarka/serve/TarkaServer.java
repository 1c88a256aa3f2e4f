package ai.tarka.serve;

import ai.tarka.models.CausalLm;
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

    private TarkaServer(OpenAiServer http, Engine engine, ServeMetrics metrics, String name) {
        this.http = http;
        this.engine = engine;
        this.metrics = metrics;
        this.name = name;
    }

    /** Loads the model the options name and starts serving it. */
    public static TarkaServer start(ServeOptions o) {
        ModelLoading.Loaded l = ModelLoading.load(o.model(), o.tokenizer(), o.maxModelLen());
        return start(l.model(), l.tokenizer(), l.chatTemplate(), o.servedName() != null ? o.servedName() : l.name(), o);
    }

    /** Serves an already built model. */
    public static TarkaServer start(CausalLm model, TextTokenizer tokenizer, ChatTemplate template, String name, ServeOptions o) {
        PagedLlama paged = new PagedLlama(model);
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
        int eos = model.config().eosTokenId() >= 0 ? model.config().eosTokenId() : TokenizerLoader.eosId(tokenizer);
        ServeMetrics metrics = new ServeMetrics(name);
        Engine engine = new Engine(paged, tokenizer, eos,
                new EngineConfig(o.blockSize(), blocks, o.maxNumSeqs(), o.maxBatchedTokens(), o.prefillChunkWhileDecoding(),
                        o.maxWaiting(), o.prefixCaching()),
                metrics);
        try {
            ServedModel served = new ServedModel(name, engine, tokenizer, template, model.config().bosTokenId(), adapters);
            OpenAiServer http = new OpenAiServer(served, metrics, o.host(), o.port(), o.apiKey(), o.maxBodyBytes());
            return new TarkaServer(http, engine, metrics, name);
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

    /** Graceful shutdown: no new connections, running requests finish or are cancelled, the engine thread ends. */
    @Override
    public void close() {
        http.close();
    }
}
