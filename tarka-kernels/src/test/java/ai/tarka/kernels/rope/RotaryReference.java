package ai.tarka.kernels.rope;

/** The rotation written out per pair, in double precision, straight from the angle θ_i = pos·base^(−2i/D). */
final class RotaryReference {
    private RotaryReference() {}

    /** x: contiguous [B,H,T,D]; pos(b, t) from positions; sign −1 rotates backwards. */
    static double[] rotate(float[] x, int[] positions, boolean perSample, int b, int h, int t, int d, double base,
                           boolean interleaved, int sign) {
        double[] out = new double[x.length];
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                for (int ti = 0; ti < t; ti++) {
                    int pos = perSample ? positions[bi * t + ti] : positions[ti];
                    int row = ((bi * h + hi) * t + ti) * d;
                    for (int i = 0; i < d / 2; i++) {
                        double angle = sign * pos * Math.pow(base, -2.0 * i / d);
                        int p = interleaved ? 2 * i : i;
                        int q = interleaved ? 2 * i + 1 : i + d / 2;
                        double x1 = x[row + p], x2 = x[row + q];
                        out[row + p] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
                        out[row + q] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
                    }
                }
            }
        }
        return out;
    }

    /** Half tables [P, D/2] and per-element interleaved tables [P, D] as the kernel expects them. */
    static float[][] tables(int maxPos, int d, double base) {
        float[] cos = new float[maxPos * d / 2], sin = new float[maxPos * d / 2];
        float[] cos2 = new float[maxPos * d], sin2 = new float[maxPos * d];
        for (int p = 0; p < maxPos; p++) {
            for (int i = 0; i < d / 2; i++) {
                double angle = p * Math.pow(base, -2.0 * i / d);
                cos[p * d / 2 + i] = (float) Math.cos(angle);
                sin[p * d / 2 + i] = (float) Math.sin(angle);
                cos2[p * d + 2 * i] = cos2[p * d + 2 * i + 1] = (float) Math.cos(angle);
                sin2[p * d + 2 * i] = (float) -Math.sin(angle);
                sin2[p * d + 2 * i + 1] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin, cos2, sin2};
    }
}
