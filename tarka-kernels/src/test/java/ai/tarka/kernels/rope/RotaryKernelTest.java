package ai.tarka.kernels.rope;

import static ai.tarka.kernels.ApproxArrays.assertClose;
import static ai.tarka.kernels.ApproxArrays.gaussian;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both rotary pairings, shared and per-sample positions, strided input, against the per-pair definition. */
class RotaryKernelTest {
    private static final double BASE = 10_000;
    private static final int MAX_POS = 64;

    static List<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1, 1, 2}, {2, 3, 5, 6}, {1, 2, 7, 18}, {2, 1, 3, 34}, {3, 2, 4, 66}, {2, 4, 40, 130}};
        for (int[] s : shapes) {
            for (boolean interleaved : new boolean[] {false, true}) {
                for (boolean vector : new boolean[] {true, false}) out.add(Arguments.of(s, interleaved, vector));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "BHTD={0} interleaved={1} vector={2}")
    @MethodSource("shapes")
    void forwardAndBackwardMatchThePairRotation(int[] s, boolean interleaved, boolean vector) {
        int b = s[0], h = s[1], t = s[2], d = s[3];
        Random rng = new Random(b * 1000L + h * 100L + t * 10L + d);
        float[][] tab = RotaryReference.tables(MAX_POS, d, BASE);
        float[] cos = interleaved ? tab[2] : tab[0], sin = interleaved ? tab[3] : tab[1];
        for (boolean perSample : new boolean[] {false, true}) {
            int[] pos = new int[perSample ? b * t : t];
            for (int i = 0; i < pos.length; i++) pos[i] = rng.nextInt(MAX_POS);
            float[] x = gaussian(rng, b * h * t * d, 1);
            float[] y = new float[x.length];
            Rotary.run(interleaved, y, x, 0, h * t * d, t * d, d, cos, sin, pos, perSample, b, h, t, d, false, false, vector);
            assertClose("rope", y, RotaryReference.rotate(x, pos, perSample, b, h, t, d, BASE, interleaved, 1), 1e-5, 1e-5);

            float[] dout = gaussian(rng, x.length, 1), dx = gaussian(rng, x.length, 1), dx0 = dx.clone();
            Rotary.run(interleaved, dx, dout, 0, h * t * d, t * d, d, cos, sin, pos, perSample, b, h, t, d, true, true, vector);
            double[] expect = RotaryReference.rotate(dout, pos, perSample, b, h, t, d, BASE, interleaved, -1);
            for (int i = 0; i < expect.length; i++) expect[i] += dx0[i];
            assertClose("rope backward", dx, expect, 1e-5, 1e-5);
        }
    }

    @ParameterizedTest(name = "BHTD={0} interleaved={1} vector={2}")
    @MethodSource("shapes")
    void readsAStridedBTHDViewAsBHTD(int[] s, boolean interleaved, boolean vector) {
        int b = s[0], h = s[1], t = s[2], d = s[3];
        Random rng = new Random(7 + b * 1000L + h * 100L + t * 10L + d);
        float[][] tab = RotaryReference.tables(MAX_POS, d, BASE);
        float[] cos = interleaved ? tab[2] : tab[0], sin = interleaved ? tab[3] : tab[1];
        int[] pos = new int[t];
        for (int i = 0; i < t; i++) pos[i] = rng.nextInt(MAX_POS);
        // storage laid out [B, T, H, D] behind a 3-float offset
        float[] storage = gaussian(rng, 3 + b * t * h * d, 1);
        float[] contiguous = new float[b * h * t * d];
        for (int bi = 0; bi < b; bi++)
            for (int hi = 0; hi < h; hi++)
                for (int ti = 0; ti < t; ti++)
                    System.arraycopy(storage, 3 + ((bi * t + ti) * h + hi) * d, contiguous, ((bi * h + hi) * t + ti) * d, d);
        float[] y = new float[contiguous.length];
        Rotary.run(interleaved, y, storage, 3, t * h * d, d, h * d, cos, sin, pos, false, b, h, t, d, false, false, vector);
        assertClose("rope strided", y, RotaryReference.rotate(contiguous, pos, false, b, h, t, d, BASE, interleaved, 1), 1e-5, 1e-5);
    }
}
