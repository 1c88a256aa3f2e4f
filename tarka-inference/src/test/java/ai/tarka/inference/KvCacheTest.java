package ai.tarka.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An F16 cache must attend exactly as an F32 cache holding the same values rounded to half precision: its vector
 * loops widen the halves in registers and then do the F32 loops' arithmetic (head sizes that are not a multiple of
 * the vector length take the scalar loops, checked against the same values within rounding).
 */
class KvCacheTest {

    @ParameterizedTest(name = "heads={0} d={1} positions={2}")
    @CsvSource({"2, 64, 37", "3, 32, 9", "1, 128, 4", "4, 16, 130", "2, 5, 11", "1, 24, 6"})
    void f16CacheAttendsAsAnF32CacheOfTheRoundedValues(int heads, int d, int positions) {
        int kvDim = heads * d, layers = 2;
        KvCache half = new KvCache(KvPrecision.F16, layers, positions + 3, kvDim);
        KvCache full = new KvCache(KvPrecision.F32, layers, positions + 3, kvDim);
        SplittableRandom r = new SplittableRandom(heads * 1000L + d * 10L + positions);
        for (int l = 0; l < layers; l++) {
            for (int pos = 0; pos < positions; pos++) {
                float[] k = new float[kvDim], v = new float[kvDim], kr = new float[kvDim], vr = new float[kvDim];
                for (int i = 0; i < kvDim; i++) {
                    k[i] = (float) r.nextDouble(-2, 2);
                    v[i] = (float) (r.nextBoolean() ? r.nextDouble(-2, 2) : r.nextDouble(-1e-6, 1e-6)); // subnormal halves too
                    kr[i] = Float.float16ToFloat(Float.floatToFloat16(k[i]));
                    vr[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
                }
                half.write(l, pos, k, 0, v, 0);
                full.write(l, pos, kr, 0, vr, 0);
            }
        }
        float[] q = new float[d + 2], p = new float[positions];
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < positions; i++) p[i] = (float) r.nextDouble(0, 1);
        boolean vectorScores = ai.tarka.kernels.quant.PlainRows.halfVectors() && d % (2 * ai.tarka.kernels.Vec.L) == 0;
        boolean vectorMix = ai.tarka.kernels.quant.PlainRows.halfVectors() && d % ai.tarka.kernels.Vec.L == 0;
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                int from = positions / 3;
                float[] a = new float[positions], b = new float[positions];
                half.scores(l, h * d, d, q, 2, from, positions, 0.125f, a);
                full.scores(l, h * d, d, q, 2, from, positions, 0.125f, b);
                float[] ma = new float[d + 1], mb = new float[d + 1];
                half.mix(l, h * d, d, p, from, positions, ma, 1);
                full.mix(l, h * d, d, p, from, positions, mb, 1);
                if (vectorScores) {
                    assertThat(a).containsExactly(b);
                } else {
                    for (int j = 0; j < positions; j++) assertThat(a[j]).isCloseTo(b[j], org.assertj.core.data.Offset.offset(1e-5f));
                }
                if (vectorMix) {
                    assertThat(ma).containsExactly(mb);
                } else {
                    for (int c = 0; c < ma.length; c++) assertThat(ma[c]).isCloseTo(mb[c], org.assertj.core.data.Offset.offset(1e-4f));
                }
                assertThat(ma[1]).isNotZero();
            }
        }
    }
}
