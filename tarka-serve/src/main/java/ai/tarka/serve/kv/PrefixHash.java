package ai.tarka.serve.kv;

/**
 * Chained 64-bit hashes of full KV blocks: a block's hash covers its own tokens and, through the parent hash, every
 * token before it, so equal hashes mean equal prefixes (up to 64-bit collisions). The mixing is SplitMix64's finaliser
 * applied per token.
 */
public final class PrefixHash {
    private PrefixHash() {}

    /** Parent hash of the first block of a sequence; {@code salt} separates adapters or other variants. */
    public static long root(long salt) {
        return mix(0x9E3779B97F4A7C15L ^ salt);
    }

    /** The hash of {@code tokens[from, from + count)} following a prefix whose hash is {@code parent}. */
    public static long block(long parent, int[] tokens, int from, int count) {
        long h = parent;
        for (int i = 0; i < count; i++) h = mix(h * 31 + tokens[from + i] + 0x632BE59BD9B4E019L);
        return mix(h ^ count);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
