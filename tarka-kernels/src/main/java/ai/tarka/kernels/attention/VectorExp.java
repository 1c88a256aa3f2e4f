package ai.tarka.kernels.attention;

import ai.tarka.kernels.Vec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp(x)} on a vector for the softmax's arguments, which are never above a few ulps over 0:
 * several times faster than {@link VectorOperators#EXP} and within about 2 ulp of it.
 *
 * <p>Splits {@code x = n·ln2 + r} with {@code |r| <= ln2/2} (n rounded to nearest through the 1.5·2²³
 * trick, ln2 in two parts so r is exact), evaluates a degree-6 Taylor polynomial of {@code e^r} and
 * scales by {@code 2^n} built directly in the exponent bits. Inputs below -87 (where 2^n would leave the
 * normal range), including -infinity, give exactly 0; inputs must stay below 88.
 */
final class VectorExp {
    private VectorExp() {}

    private static final VectorSpecies<Float> F = Vec.F;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUNDER = 12582912f; // 1.5·2²³: adding it rounds to an integer kept in the low mantissa bits
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float UNDERFLOW = -87f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

    static FloatVector exp(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, UNDERFLOW);
        FloatVector xs = x.max(UNDERFLOW);
        FloatVector t = xs.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xs);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(C6, C5);
        p = p.fma(r, FloatVector.broadcast(F, C4));
        p = p.fma(r, FloatVector.broadcast(F, C3));
        p = p.fma(r, FloatVector.broadcast(F, C2));
        FloatVector one = FloatVector.broadcast(F, 1f);
        p = p.fma(r, one);
        p = p.fma(r, one);
        FloatVector scale = t.reinterpretAsInts()
                .sub(ROUNDER_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale).blend(0f, tiny);
    }
}
