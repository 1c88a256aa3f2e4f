package ai.tarka.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RopeTest {
    private static final double BASE = 10_000;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Random rng = new Random(55);
        int[][] shapes = {{1, 1, 1, 2}, {2, 3, 4, 6}, {1, 2, 3, 18}, {2, 1, 2, 34}, {1, 1, 3, 66}};
        for (int[] s : shapes) {
            for (RopeStyle style : RopeStyle.values()) out.add(Arguments.of(s, style, rng.nextLong()));
        }
        return out;
    }

    private static int[] randomPositions(Random rng, int n, int max) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = rng.nextInt(max);
        return p;
    }

    /** The rotation pair by pair with the angle computed directly: pos·base^(−2i/D). */
    private static double[] reference(float[] x, int[] shape, int[] positions, RopeStyle style) {
        int b = shape[0], h = shape[1], t = shape[2], d = shape[3];
        boolean perSample = positions.length != t;
        double[] out = new double[x.length];
        for (int bi = 0; bi < b; bi++)
            for (int hi = 0; hi < h; hi++)
                for (int ti = 0; ti < t; ti++) {
                    int pos = perSample ? positions[bi * t + ti] : positions[ti];
                    int row = ((bi * h + hi) * t + ti) * d;
                    for (int i = 0; i < d / 2; i++) {
                        double a = pos * Math.pow(BASE, -2.0 * i / d);
                        int p = style == RopeStyle.HALF ? i : 2 * i, q = style == RopeStyle.HALF ? i + d / 2 : 2 * i + 1;
                        out[row + p] = x[row + p] * Math.cos(a) - x[row + q] * Math.sin(a);
                        out[row + q] = x[row + q] * Math.cos(a) + x[row + p] * Math.sin(a);
                    }
                }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientWithSharedAndPerSamplePositions(int[] shape, RopeStyle style, long seed) {
        Random rng = new Random(seed);
        RopeTable table = new RopeTable(shape[3], 32, BASE);
        int[] shared = randomPositions(rng, shape[2], 32), perSample = randomPositions(rng, shape[0] * shape[2], 32);
        GradCheck.defaults().check("rope " + style + " shared positions",
                t -> Rope.apply(t[0], shared, table, style), Tensor.randn(rng, 1, shape).requiresGrad(true));
        GradCheck.defaults().check("rope " + style + " per-sample positions",
                t -> Rope.apply(t[0], perSample, table, style), Tensor.randn(rng, 1, shape).requiresGrad(true));
        // a [B, T, H, D] projection viewed as [B, H, T, D]: read through strides, gradient back through the view
        Tensor bthd = Tensor.randn(rng, 1, shape[0], shape[2], shape[1], shape[3]).requiresGrad(true);
        GradCheck.defaults().check("rope " + style + " of a transposed view",
                t -> Rope.apply(t[0].transpose(1, 2), perSample, table, style), bthd);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void valuesMatchThePairRotation(int[] shape, RopeStyle style, long seed) {
        Random rng = new Random(seed ^ 99);
        RopeTable table = new RopeTable(shape[3], 4096, BASE);
        int[] perSample = randomPositions(rng, shape[0] * shape[2], 4096);
        Tensor x = Tensor.randn(rng, 1, shape);
        float[] y = Rope.apply(x, perSample, table, style).toArray();
        double[] expect = reference(x.toArray(), shape, perSample, style);
        // positions up to 4096: the float-rounded table entries differ from cos/sin in double by ~1e-7
        for (int i = 0; i < y.length; i++) assertThat((double) y[i]).isCloseTo(expect[i], within(2e-6));
        Tensor strided = Tensor.randn(rng, 1, shape[0], shape[2], shape[1], shape[3]).transpose(1, 2);
        assertThat(Rope.apply(strided, perSample, table, style).toArray())
                .containsExactly(Rope.apply(strided.contiguous(), perSample, table, style).toArray());
    }

    @Test
    void positionZeroIsTheIdentityAndRotationsKeepPairNorms() {
        Random rng = new Random(1);
        RopeTable table = new RopeTable(10, 100, BASE);
        Tensor x = Tensor.randn(rng, 1, 1, 2, 3, 10);
        assertThat(Rope.apply(x, new int[] {0, 0, 0}, table, RopeStyle.HALF).toArray()).containsExactly(x.toArray());
        float[] y = Rope.apply(x, new int[] {5, 17, 99}, table, RopeStyle.INTERLEAVED).toArray();
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i += 2) {
            assertThat(Math.hypot(y[i], y[i + 1])).isCloseTo(Math.hypot(v[i], v[i + 1]), within(1e-5));
        }
    }

    @Test
    void attentionScoresDependOnlyOnRelativePosition() {
        Random rng = new Random(2);
        RopeTable table = new RopeTable(16, 200, BASE);
        Tensor q = Tensor.randn(rng, 1, 1, 1, 1, 16), k = Tensor.randn(rng, 1, 1, 1, 1, 16);
        for (RopeStyle style : RopeStyle.values()) {
            double first = dot(Rope.apply(q, new int[] {7}, table, style), Rope.apply(k, new int[] {3}, table, style));
            double shifted = dot(Rope.apply(q, new int[] {157}, table, style), Rope.apply(k, new int[] {153}, table, style));
            assertThat(shifted).isCloseTo(first, within(1e-4));
        }
    }

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray(), y = b.toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * (double) y[i];
        return s;
    }

    @Test
    void interleavedIsHalfOnDeinterleavedChannels() {
        Random rng = new Random(3);
        int d = 12;
        RopeTable table = new RopeTable(d, 50, BASE);
        Tensor x = Tensor.randn(rng, 1, 2, 1, 3, d);
        int[] pos = {4, 9, 49};
        float[] xi = x.toArray(), xh = new float[xi.length];
        // channel 2i -> i, 2i+1 -> i + D/2
        for (int r = 0; r < xi.length / d; r++) {
            for (int i = 0; i < d / 2; i++) {
                xh[r * d + i] = xi[r * d + 2 * i];
                xh[r * d + i + d / 2] = xi[r * d + 2 * i + 1];
            }
        }
        float[] yi = Rope.apply(x, pos, table, RopeStyle.INTERLEAVED).toArray();
        float[] yh = Rope.apply(Tensor.of(xh, 2, 1, 3, d), pos, table, RopeStyle.HALF).toArray();
        for (int r = 0; r < xi.length / d; r++) {
            for (int i = 0; i < d / 2; i++) {
                assertThat(yi[r * d + 2 * i]).isEqualTo(yh[r * d + i]);
                assertThat(yi[r * d + 2 * i + 1]).isEqualTo(yh[r * d + i + d / 2]);
            }
        }
    }

    @Test
    void linearScalingDividesPositions() {
        RopeTable plain = new RopeTable(8, 64, BASE), scaled = new RopeTable(8, 128, BASE, RopeScaling.linear(2));
        for (int p = 0; p < 64; p++) {
            for (int i = 0; i < 4; i++) {
                assertThat(scaled.cos(2 * p, i)).isCloseTo(plain.cos(p, i), within(1e-6f));
                assertThat(scaled.sin(2 * p, i)).isCloseTo(plain.sin(p, i), within(1e-6f));
            }
        }
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesDividesLowOnesAndBlendsBetween() {
        int d = 128;
        double base = 500_000, factor = 8, low = 1, high = 4;
        int original = 8192;
        RopeTable plain = new RopeTable(d, 1, base);
        RopeTable scaled = new RopeTable(d, 1, base, RopeScaling.llama3(factor, low, high, original));
        int kept = 0, divided = 0, blended = 0;
        for (int i = 0; i < d / 2; i++) {
            double f = plain.inverseFrequency(i), g = scaled.inverseFrequency(i);
            double wavelength = 2 * Math.PI / f;
            if (wavelength < original / high) {
                assertThat(g).isEqualTo(f);
                kept++;
            } else if (wavelength > original / low) {
                assertThat(g).isCloseTo(f / factor, within(1e-15));
                divided++;
            } else {
                // strictly between the two limits, interpolated linearly in original / wavelength
                double smooth = (original / wavelength - low) / (high - low);
                assertThat(g).isBetween(f / factor, f).isCloseTo(f / factor + smooth * (f - f / factor), within(1e-12));
                blended++;
            }
        }
        assertThat(kept).isPositive();
        assertThat(divided).isPositive();
        assertThat(blended).isPositive();
    }

    @Test
    void errorsNameRopeTheShapesAndPositions() {
        RopeTable table = new RopeTable(8, 16, BASE);
        Tensor x = Tensor.zeros(2, 3, 4, 8);
        assertThatThrownBy(() -> Rope.apply(Tensor.zeros(3, 4, 8), new int[4], table, RopeStyle.HALF))
                .isInstanceOf(ShapeException.class).hasMessageContaining("rope").hasMessageContaining("[3, 4, 8]");
        assertThatThrownBy(() -> Rope.apply(Tensor.zeros(2, 3, 4, 6), new int[4], table, RopeStyle.HALF))
                .hasMessageContaining("rope").hasMessageContaining("headDim 8").hasMessageContaining("[2, 3, 4, 6]");
        assertThatThrownBy(() -> Rope.apply(x, new int[5], table, RopeStyle.HALF))
                .hasMessageContaining("rope").hasMessageContaining("5 positions").hasMessageContaining("[2, 3, 4, 8]");
        assertThatThrownBy(() -> Rope.apply(x, new int[] {0, 1, 16, 2}, table, RopeStyle.INTERLEAVED))
                .hasMessageContaining("rope").hasMessageContaining("position 16").hasMessageContaining("index 2");
        assertThatThrownBy(() -> Rope.apply(x, new int[] {0, 1, -1, 2, 0, 0, 0, 0}, table, RopeStyle.HALF))
                .hasMessageContaining("position -1");
        assertThatThrownBy(() -> new RopeTable(7, 16, BASE)).hasMessageContaining("rope").hasMessageContaining("7");
        assertThatThrownBy(() -> new RopeTable(8, 0, BASE)).hasMessageContaining("maxPositions");
        assertThatThrownBy(() -> RopeScaling.linear(0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> RopeScaling.llama3(8, 4, 1, 8192)).hasMessageContaining("llama3");
    }
}
