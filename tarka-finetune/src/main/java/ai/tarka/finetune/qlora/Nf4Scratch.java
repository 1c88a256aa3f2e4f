package ai.tarka.finetune.qlora;

/**
 * The fp32 strip that NF4 products decode base weights into: one per thread, grown to the largest strip asked for
 * and reused by every layer, so a QLoRA step allocates no decoded weights.
 */
final class Nf4Scratch {
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private Nf4Scratch() {}

    /** A scratch of at least {@code floats} values; its contents are garbage. */
    static float[] tile(int floats) {
        float[] t = TILE.get();
        if (t.length < floats) {
            t = new float[floats];
            TILE.set(t);
        }
        return t;
    }
}
