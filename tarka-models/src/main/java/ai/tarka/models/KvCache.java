package ai.tarka.models;

import ai.tarka.engine.Strided;
import ai.tarka.engine.Tensor;

/**
 * Keys and values of the tokens already processed, per layer, so that decoding one more token runs the
 * model on that token alone. Keys are stored after RoPE. Storage per layer: {@code [B, Hkv, capacity, D]}
 * for keys and for values, allocated once.
 */
public final class KvCache {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int batch;
    private final int capacity;
    private int length;

    public KvCache(int layers, int batch, int kvHeads, int capacity, int headDim) {
        if (layers <= 0 || batch <= 0 || kvHeads <= 0 || capacity <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("KvCache: sizes must be positive, got layers " + layers + ", batch " + batch
                    + ", kvHeads " + kvHeads + ", capacity " + capacity + ", headDim " + headDim);
        }
        this.batch = batch;
        this.capacity = capacity;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = Tensor.zeros(batch, kvHeads, capacity, headDim);
            values[l] = Tensor.zeros(batch, kvHeads, capacity, headDim);
        }
    }

    /** A cache sized for {@code config}'s decoder. */
    public static KvCache create(ModelConfig config, int batch, int capacity) {
        return new KvCache(config.numLayers(), batch, config.numKvHeads(), capacity, config.headDim());
    }

    /** Tokens cached so far (the position of the next token). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int batch() {
        return batch;
    }

    /** Forgets every cached token (the storage is reused). */
    public void clear() {
        length = 0;
    }

    /** Fails unless {@code t} more tokens of a batch of {@code b} rows fit. */
    void checkRoom(int b, int t) {
        if (b != batch) throw new IllegalArgumentException("KvCache: batch " + b + " differs from the cache's " + batch);
        if (length + t > capacity) {
            throw new IllegalArgumentException("KvCache: " + length + " cached + " + t + " new tokens exceed capacity " + capacity);
        }
    }

    /**
     * Writes the new tokens' keys and values {@code [B, Hkv, T, D]} of one layer after the cached ones and
     * returns views of everything cached for that layer, {@code [B, Hkv, length + T, D]}.
     */
    Tensor[] append(int layer, Tensor k, Tensor v) {
        int t = k.size(2);
        Strided.assign(keys[layer].slice(2, length, length + t), k);
        Strided.assign(values[layer].slice(2, length, length + t), v);
        return new Tensor[] {keys[layer].slice(2, 0, length + t), values[layer].slice(2, 0, length + t)};
    }

    /** Marks {@code t} more tokens as cached, after every layer appended them. */
    void advance(int t) {
        length += t;
    }
}
