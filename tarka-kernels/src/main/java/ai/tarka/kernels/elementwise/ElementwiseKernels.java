package ai.tarka.kernels.elementwise;

import ai.tarka.kernels.Vec;
import ai.tarka.kernels.activation.FastExp;
import jdk.incubator.vector.FloatVector;

/**
 * Single-threaded elementwise loops over contiguous runs of float arrays ({@code array, offset, n}).
 * Each loop runs {@link Vec#F} lanes at a time and finishes the tail (or everything, when
 * {@code !Vec.ENABLED}) with a scalar loop. Output runs may alias an input run exactly (in place).
 *
 * <p>Transcendental functions use the Vector API's lanewise operators, which agree with
 * {@link Math} to within an ulp or two; the scalar tails use {@link Math} directly.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    // ------------------------------------------------------------------ binary: vector ∘ vector

    /** {@code out = a op b} elementwise over {@code n} contiguous elements. */
    public static void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> add(a, aOff, b, bOff, out, outOff, n);
            case SUB -> sub(a, aOff, b, bOff, out, outOff, n);
            case MUL -> mul(a, aOff, b, bOff, out, outOff, n);
            case DIV -> div(a, aOff, b, bOff, out, outOff, n);
        }
    }

    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, a, aOff + i).add(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
    }

    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, a, aOff + i).sub(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] - b[bOff + i];
    }

    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, a, aOff + i).mul(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
    }

    public static void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, a, aOff + i).div(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] / b[bOff + i];
    }

    // ------------------------------------------------------------------ binary: vector ∘ scalar, scalar ∘ vector

    /** {@code out = a op s}: the right operand is one value broadcast over the run. */
    public static void binaryScalarRight(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addScalar(a, aOff, s, out, outOff, n);
            case SUB -> subScalar(a, aOff, s, out, outOff, n);
            case MUL -> mulScalar(a, aOff, s, out, outOff, n);
            case DIV -> divScalar(a, aOff, s, out, outOff, n);
        }
    }

    /** {@code out = s op b}: the left operand is one value broadcast over the run. */
    public static void binaryScalarLeft(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> addScalar(b, bOff, s, out, outOff, n);
            case SUB -> scalarSub(s, b, bOff, out, outOff, n);
            case MUL -> mulScalar(b, bOff, s, out, outOff, n);
            case DIV -> scalarDiv(s, b, bOff, out, outOff, n);
        }
    }

    public static void addScalar(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, a, aOff + i).add(sv).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] + s;
    }

    public static void subScalar(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, a, aOff + i).sub(sv).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] - s;
    }

    public static void mulScalar(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, a, aOff + i).mul(sv).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] * s;
    }

    /** True division by {@code s} (not multiplication by its reciprocal, which rounds differently). */
    public static void divScalar(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, a, aOff + i).div(sv).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] / s;
    }

    public static void scalarSub(float s, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                sv.sub(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = s - b[bOff + i];
    }

    public static void scalarDiv(float s, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector sv = FloatVector.broadcast(Vec.F, s);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                sv.div(FloatVector.fromArray(Vec.F, b, bOff + i)).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = s / b[bOff + i];
    }

    // ------------------------------------------------------------------ binary: arbitrary strides (fallback)

    /**
     * {@code out[outOff + i] = a[aOff + i·aStride] op b[bOff + i·bStride]} for layouts the contiguous
     * loops cannot take (transposed or otherwise strided operands). Scalar: gathers do not pay here.
     */
    public static void binaryStrided(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                     float[] out, int outOff, int n) {
        int pa = aOff, pb = bOff;
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++, pa += aStride, pb += bStride) out[outOff + i] = a[pa] + b[pb];
            }
            case SUB -> {
                for (int i = 0; i < n; i++, pa += aStride, pb += bStride) out[outOff + i] = a[pa] - b[pb];
            }
            case MUL -> {
                for (int i = 0; i < n; i++, pa += aStride, pb += bStride) out[outOff + i] = a[pa] * b[pb];
            }
            case DIV -> {
                for (int i = 0; i < n; i++, pa += aStride, pb += bStride) out[outOff + i] = a[pa] / b[pb];
            }
        }
    }

    // ------------------------------------------------------------------ unary functions

    // No lanewise(EXP/LOG/TANH/POW): those run a vector math library once C2 compiles the caller and
    // Math's per-lane fallback before, which round differently (about 2750 of 3000 calls over 4096
    // values changed their result once warm), so results depended on the JIT's progress. exp uses
    // FastExp, plain vector arithmetic that gives the same bits in every tier; log, tanh and pow stay
    // scalar Math calls (same bits in every tier; not on the model paths, which have fused kernels).

    public static void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FastExp.exp(FloatVector.fromArray(Vec.F, x, xOff + i)).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = FastExp.exp(x[xOff + i]);
    }

    public static void log(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.log(x[xOff + i]);
    }

    public static void sqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
            FloatVector.fromArray(Vec.F, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = (float) Math.sqrt(x[xOff + i]);
    }

    public static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.tanh(x[xOff + i]);
    }

    /** {@code out = x^p}; squaring, square roots and reciprocals take exact arithmetic paths. */
    public static void pow(float[] x, int xOff, float p, float[] out, int outOff, int n) {
        if (p == 1f) {
            System.arraycopy(x, xOff, out, outOff, n);
        } else if (p == 2f) {
            mul(x, xOff, x, xOff, out, outOff, n);
        } else if (p == 0.5f) {
            sqrt(x, xOff, out, outOff, n);
        } else if (p == -1f) {
            scalarDiv(1f, x, xOff, out, outOff, n);
        } else {
            // scalar, as exp: lanewise(POW) rounds differently once compiled
            for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.pow(x[xOff + i], p);
        }
    }

    // ------------------------------------------------------------------ fused backward rules

    /** tanh backward from the saved output: {@code out = g·(1 − y²)}. */
    public static void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector one = FloatVector.broadcast(Vec.F, 1f);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector yv = FloatVector.fromArray(Vec.F, y, yOff + i);
                FloatVector.fromArray(Vec.F, g, gOff + i).mul(one.sub(yv.mul(yv))).intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) {
            float yv = y[yOff + i];
            out[outOff + i] = g[gOff + i] * (1f - yv * yv);
        }
    }

    /** sqrt backward from the saved output: {@code out = 0.5·g / y}. */
    public static void sqrtBackward(float[] g, int gOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        if (Vec.ENABLED) {
            FloatVector half = FloatVector.broadcast(Vec.F, 0.5f);
            for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                FloatVector.fromArray(Vec.F, g, gOff + i).mul(half).div(FloatVector.fromArray(Vec.F, y, yOff + i))
                        .intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) out[outOff + i] = g[gOff + i] * 0.5f / y[yOff + i];
    }

    /** pow backward from the input: {@code out = g·p·x^(p−1)}. */
    public static void powBackward(float[] g, int gOff, float[] x, int xOff, float p, float[] out, int outOff, int n) {
        if (p == 2f) {
            // the common square: 2·g·x without a pow call
            int i = 0;
            if (Vec.ENABLED) {
                FloatVector two = FloatVector.broadcast(Vec.F, 2f);
                for (int bound = Vec.loopBound(n); i < bound; i += Vec.L) {
                    FloatVector.fromArray(Vec.F, g, gOff + i).mul(two).mul(FloatVector.fromArray(Vec.F, x, xOff + i))
                            .intoArray(out, outOff + i);
                }
            }
            for (; i < n; i++) out[outOff + i] = g[gOff + i] * 2f * x[xOff + i];
            return;
        }
        float q = p - 1f;
        // scalar, as exp: lanewise(POW) rounds differently once compiled
        for (int i = 0; i < n; i++) out[outOff + i] = g[gOff + i] * p * (float) Math.pow(x[xOff + i], q);
    }
}
