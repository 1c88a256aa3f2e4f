package ai.tarka.kernels.quant;

/**
 * NF4's double-quantised block scales, as QLoRA stores them: the absmax of each 64-value block, minus
 * {@code offset} (the mean absmax of the tensor), is stored as a signed 8-bit code, and each group of 256 consecutive
 * blocks (in row-major block order, crossing rows) has one fp32 {@code groupScales} entry:
 * {@code absmax[b] = codes[b] · groupScales[b / 256] + offset}. Tarka codes the 8-bit step linearly
 * ({@code round((absmax − offset) / groupScale)}, groupScale = group max |absmax − offset| / 127) where bitsandbytes
 * uses its dynamic 8-bit map; the storage (8 bits per block, fp32 per 256 blocks, one offset) is the same.
 */
public record Nf4Scales(byte[] codes, float[] groupScales, float offset) {
    public static final int GROUP = 256;

    public Nf4Scales {
        if (groupScales.length != (codes.length + GROUP - 1) / GROUP)
            throw new IllegalArgumentException("Nf4Scales: " + codes.length + " block codes need "
                    + (codes.length + GROUP - 1) / GROUP + " group scales, got " + groupScales.length);
    }

    /** The absmax of block {@code b}. */
    public float absmax(int b) {
        return codes[b] * groupScales[b / GROUP] + offset;
    }

    /** Double-quantises per-block absmax values. */
    public static Nf4Scales quantize(float[] absmax) {
        double mean = 0;
        for (float a : absmax) mean += a;
        float offset = absmax.length == 0 ? 0 : (float) (mean / absmax.length);
        int groups = (absmax.length + GROUP - 1) / GROUP;
        float[] scales = new float[groups];
        byte[] codes = new byte[absmax.length];
        for (int g = 0; g < groups; g++) {
            int end = Math.min(absmax.length, (g + 1) * GROUP);
            float m = 0;
            for (int b = g * GROUP; b < end; b++) m = Math.max(m, Math.abs(absmax[b] - offset));
            float s = m / 127f;
            scales[g] = s;
            for (int b = g * GROUP; b < end; b++) codes[b] = (byte) (s == 0 ? 0 : Math.round((absmax[b] - offset) / s));
        }
        return new Nf4Scales(codes, scales, offset);
    }
}
