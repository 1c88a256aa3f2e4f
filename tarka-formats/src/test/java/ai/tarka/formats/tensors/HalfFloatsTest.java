package ai.tarka.formats.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * F16/BF16 conversions against plain references written from the IEEE definitions: decoding by sign, exponent and
 * mantissa; encoding by finding the two neighbouring representable values and comparing exact distances.
 */
class HalfFloatsTest {

    /** binary16 decoded from its fields. */
    static float refF16ToFloat(int h) {
        int sign = (h >>> 15) & 1, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
        double v;
        if (exp == 0) v = mant * Math.pow(2, -24);
        else if (exp == 31) v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        else v = (1024 + mant) * Math.pow(2, exp - 25);
        return (float) (sign == 1 ? -v : v);
    }

    /** Round-to-nearest-even by exhaustive neighbour search; infinity acts as the value 2^16 (or 2^128 for BF16). */
    static int refRound(float v, boolean bf16) {
        if (Float.isNaN(v)) return -1;
        int signBit = Float.floatToRawIntBits(v) < 0 ? 0x8000 : 0;
        BigDecimal a = new BigDecimal(Math.abs((double) v));
        int infBits = bf16 ? 0x7f80 : 0x7c00;
        // largest magnitude code whose value is <= |v|
        int lo = 0, hi = infBits;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (value(mid, bf16, infBits).compareTo(a) <= 0) lo = mid;
            else hi = mid - 1;
        }
        if (lo == infBits) return signBit | infBits;
        BigDecimal down = value(lo, bf16, infBits), up = value(lo + 1, bf16, infBits);
        int c = a.subtract(down).compareTo(up.subtract(a));
        int code = c < 0 ? lo : c > 0 ? lo + 1 : ((lo & 1) == 0 ? lo : lo + 1);
        return signBit | code;
    }

    static BigDecimal value(int code, boolean bf16, int infBits) {
        if (code == infBits) return new BigDecimal(Math.pow(2, bf16 ? 128 : 16));
        double d = bf16 ? Float.intBitsToFloat(code << 16) : refF16ToFloat(code);
        return new BigDecimal(d);
    }

    @Test
    void everyF16DecodesExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float got = HalfFloats.f16ToFloat((short) h);
            float want = refF16ToFloat(h);
            if (Float.isNaN(want)) {
                assertThat(got).as("0x%04x", h).isNaN();
                assertThat(Float.floatToRawIntBits(got) < 0).as("sign of 0x%04x", h).isEqualTo(h >= 0x8000);
            } else {
                assertThat(Float.floatToRawIntBits(got)).as("0x%04x", h).isEqualTo(Float.floatToRawIntBits(want));
            }
        }
    }

    @Test
    void everyBf16DecodesToTheUpperHalfOfAnF32() {
        for (int b = 0; b < 0x10000; b++)
            assertThat(Float.floatToRawIntBits(HalfFloats.bf16ToFloat((short) b))).isEqualTo(b << 16);
    }

    /**
     * Each representable value, the midpoint to the next one (a tie: goes to the even code) and the floats either
     * side of that midpoint (go down and up). The expected codes follow from the definition without a search.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void roundingAtEveryMidpoint(boolean bf16) {
        int infBits = bf16 ? 0x7f80 : 0x7c00;
        for (int sign = 0; sign <= 1; sign++)
            for (int code = 0; code < infBits; code++) {
                double a = value(code, bf16, infBits).doubleValue(), b = value(code + 1, bf16, infBits).doubleValue();
                float mid = (float) ((a + b) / 2); // exact: one more bit than the half type holds
                int even = (code & 1) == 0 ? code : code + 1;
                float[] inputs = {(float) a, mid, Math.nextDown(mid), Math.nextUp(mid)};
                int[] expected = {code, even, code, code + 1};
                for (int k = 0; k < 4; k++) {
                    float s = sign == 1 ? -inputs[k] : inputs[k];
                    int want = (sign << 15) | expected[k];
                    int got = encode(s, bf16) & 0xffff;
                    if (got != want)
                        assertThat(got).as("%s of %s (0x%08x)", bf16 ? "bf16" : "f16", s, Float.floatToRawIntBits(s)).isEqualTo(want);
                }
            }
    }

    static LongStream seeds() {
        return LongStream.of(1, 2, 3);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomFloatsRoundLikeTheReference(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            float v = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(v)) continue;
            assertThat(encode(v, false) & 0xffff).as("f16 of 0x%08x", Float.floatToRawIntBits(v)).isEqualTo(refRound(v, false));
            assertThat(encode(v, true) & 0xffff).as("bf16 of 0x%08x", Float.floatToRawIntBits(v)).isEqualTo(refRound(v, true));
        }
    }

    @ParameterizedTest
    @CsvSource({
            // f32 bits, expected bf16 bits
            "3f808000, 3f80", // tie, lower mantissa even: stays
            "3f818000, 3f82", // tie, lower mantissa odd: rounds up to even
            "3f808001, 3f81", // just above the tie
            "3f807fff, 3f80", // just below the tie
            "bf818000, bf82", // negative tie
            "7f7f8000, 7f80", // tie at the largest finite value: odd, so rounds up to infinity
            "7f7f7fff, 7f7f", // just below: stays finite
            "7f7fffff, 7f80", // rounds to infinity
            "00008000, 0000", // subnormal tie to zero
            "00018000, 0002", // subnormal tie up to even
            "007fffff, 0080", // largest subnormal rounds up into the normals
            "80000000, 8000", // negative zero
            "7f800000, 7f80", // infinity
            "ff800000, ff80", // negative infinity
    })
    void bf16RoundingCases(String f32, String bf16) {
        float v = Float.intBitsToFloat(Integer.parseUnsignedInt(f32, 16));
        assertThat(HalfFloats.floatToBf16(v) & 0xffff).isEqualTo(Integer.parseInt(bf16, 16));
    }

    @ParameterizedTest
    @CsvSource({"7f800001", "7fc00000", "ffffffff", "7f80ffff", "ff800001"})
    void nanStaysNanWithItsSign(String f32) {
        float v = Float.intBitsToFloat(Integer.parseUnsignedInt(f32, 16));
        float back = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
        assertThat(back).isNaN();
        assertThat(Float.floatToRawIntBits(back) < 0).isEqualTo(f32.startsWith("f"));
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(v))).isNaN();
    }

    @Test
    void f16Extremes() {
        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65519.996f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7c00); // tie rounds to even: infinity
        assertThat(HalfFloats.floatToF16((float) Math.pow(2, -24))).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.floatToF16((float) Math.pow(2, -25))).isEqualTo((short) 0x0000); // tie to even zero
        assertThat(HalfFloats.floatToF16(Math.nextUp((float) Math.pow(2, -25)))).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(HalfFloats.f16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    static int encode(float v, boolean bf16) {
        return bf16 ? HalfFloats.floatToBf16(v) : HalfFloats.floatToF16(v);
    }
}
