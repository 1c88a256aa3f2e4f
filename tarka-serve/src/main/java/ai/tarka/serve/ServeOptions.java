package ai.tarka.serve;

import java.nio.file.Path;

/**
 * Everything {@code tarka serve} is configured with.
 *
 * @param model            checkpoint: a GGUF file, a llama2.c {@code .bin}, or a folder with {@code config.json} and
 *                         {@code model.safetensors}
 * @param tokenizer        tokenizer path, or null to find it next to / inside the model
 * @param servedName       the model name clients send, or null for the file name
 * @param host             bind address
 * @param port             port, 0 for any free one
 * @param apiKey           Bearer token required on the API, or null
 * @param kvCacheBytes     memory for the paged KV cache
 * @param blockSize        tokens per KV block
 * @param maxNumSeqs       most sequences decoded together
 * @param maxBatchedTokens most tokens per engine step
 * @param maxWaiting       most queued requests before 429
 * @param prefixCaching    automatic prefix caching
 * @param maxBodyBytes     request body limit
 * @param maxModelLen      context length override (0: the model's)
 * @param loras            LoRA adapters (PEFT folders) by the model name clients use for them
 * @param prefillChunkWhileDecoding while sequences decode, most prompt tokens per step (0: only maxBatchedTokens)
 */
public record ServeOptions(Path model, Path tokenizer, String servedName, String host, int port, String apiKey,
                           long kvCacheBytes, int blockSize, int maxNumSeqs, int maxBatchedTokens, int maxWaiting,
                           boolean prefixCaching, long maxBodyBytes, int maxModelLen,
                           java.util.LinkedHashMap<String, Path> loras, int prefillChunkWhileDecoding) {

    /**
     * Prompt tokens per step while others decode, unless configured: on the stories15M-size model 32 prompt rows add
     * about one 16-stream decode step of work, while a 512-token prompt still needs only 16 steps.
     */
    public static final int DEFAULT_PREFILL_CHUNK_WHILE_DECODING = 32;

    public ServeOptions {
        loras = loras == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(loras);
        if (prefillChunkWhileDecoding < 0) {
            throw new IllegalArgumentException("--prefill-chunk-while-decoding " + prefillChunkWhileDecoding + " must not be negative");
        }
    }

    public ServeOptions(Path model, Path tokenizer, String servedName, String host, int port, String apiKey,
                        long kvCacheBytes, int blockSize, int maxNumSeqs, int maxBatchedTokens, int maxWaiting,
                        boolean prefixCaching, long maxBodyBytes, int maxModelLen, java.util.LinkedHashMap<String, Path> loras) {
        this(model, tokenizer, servedName, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs, maxBatchedTokens,
                maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, DEFAULT_PREFILL_CHUNK_WHILE_DECODING);
    }

    public ServeOptions withPrefillChunkWhileDecoding(int tokens) {
        return new ServeOptions(model, tokenizer, servedName, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, tokens);
    }

    public ServeOptions withLoras(java.util.Map<String, Path> adapters) {
        return new ServeOptions(model, tokenizer, servedName, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, new java.util.LinkedHashMap<>(adapters), prefillChunkWhileDecoding);
    }

    /** Defaults of the CLI for {@code model}: 127.0.0.1:8000, 1 GiB of KV cache, 16-token blocks, 64 sequences. */
    public static ServeOptions defaults(Path model) {
        return new ServeOptions(model, null, null, "127.0.0.1", 8000, null, 1L << 30, 16, 64, 2048, 256, true,
                4L << 20, 0, null);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(model, tokenizer, servedName, host, newPort, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }

    public ServeOptions withTokenizer(Path t) {
        return new ServeOptions(model, t, servedName, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }

    public ServeOptions withApiKey(String key) {
        return new ServeOptions(model, tokenizer, servedName, host, port, key, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }

    public ServeOptions withLimits(long kvBytes, int maxSeqs, int maxTokens, int waiting, boolean caching) {
        return new ServeOptions(model, tokenizer, servedName, host, port, apiKey, kvBytes, blockSize, maxSeqs, maxTokens,
                waiting, caching, maxBodyBytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }

    public ServeOptions withName(String name) {
        return new ServeOptions(model, tokenizer, name, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, maxBodyBytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }

    public ServeOptions withMaxBodyBytes(long bytes) {
        return new ServeOptions(model, tokenizer, servedName, host, port, apiKey, kvCacheBytes, blockSize, maxNumSeqs,
                maxBatchedTokens, maxWaiting, prefixCaching, bytes, maxModelLen, loras, prefillChunkWhileDecoding);
    }
}
