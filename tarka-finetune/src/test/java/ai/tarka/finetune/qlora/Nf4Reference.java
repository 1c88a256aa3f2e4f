package ai.tarka.finetune.qlora;

/**
 * NF4 from its definition (QLoRA paper, appendix E; bitsandbytes' storage of double-quantised scales), as plain
 * loops: blocks of 64 along each zero-padded row, absmax per block; absmax values double-quantised as signed 8-bit
 * codes of (absmax − mean) over groups of 256 blocks, step = group max |absmax − mean| / 127; each value replaced by
 * the code value nearest to value / decoded absmax.
 */
final class Nf4Reference {
    static final double[] CODE = {
            -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
            -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
            0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
            0.7229568362236023, 1.0};

    private Nf4Reference() {}

    static float[] roundTrip(float[] w, int out, int in) {
        int padded = (in + 63) / 64 * 64, perRow = padded / 64, blocks = out * perRow;
        float[] absmax = new float[blocks];
        for (int o = 0; o < out; o++) {
            for (int b = 0; b < perRow; b++) {
                float m = 0;
                for (int j = 0; j < 64; j++) {
                    int c = b * 64 + j;
                    if (c < in) m = Math.max(m, Math.abs(w[o * in + c]));
                }
                absmax[o * perRow + b] = m;
            }
        }
        double sum = 0;
        for (float a : absmax) sum += a;
        float mean = (float) (sum / blocks);
        float[] decoded = new float[blocks];
        for (int g = 0; g * 256 < blocks; g++) {
            float m = 0;
            for (int b = g * 256; b < Math.min(blocks, g * 256 + 256); b++) m = Math.max(m, Math.abs(absmax[b] - mean));
            float step = m / 127f;
            for (int b = g * 256; b < Math.min(blocks, g * 256 + 256); b++) {
                int q = step == 0 ? 0 : Math.round((absmax[b] - mean) / step);
                decoded[b] = (byte) q * step + mean;
            }
        }
        float[] r = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                float a = decoded[o * perRow + c / 64];
                float v = a != 0 ? w[o * in + c] * (1f / a) : 0f;
                int best = 0;
                for (int k = 1; k < 16; k++) if (Math.abs(v - CODE[k]) < Math.abs(v - CODE[best])) best = k;
                r[o * in + c] = (float) CODE[best] * a;
            }
        }
        return r;
    }
}
