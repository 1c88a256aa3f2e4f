package ai.tarka.kernels.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BroadcastBinaryTest {

    /** An operand layout over the output shape: its own storage, offset and strides. */
    record Operand(float[] data, int off, int[] strides) {}

    /** Row-major strides of {@code own}, then zeroed where {@code own} broadcasts (size 1 under a larger size). */
    static Operand operand(Random rng, int[] out, int[] own, boolean transposeLastTwo) {
        int r = out.length;
        int[] st = new int[r];
        int s = 1;
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = r - 1 - i;
        if (transposeLastTwo && r >= 2) {
            order[0] = r - 2;
            order[1] = r - 1;
        }
        for (int d : order) {
            st[d] = s;
            s *= own[d];
        }
        for (int d = 0; d < r; d++) if (own[d] == 1 && out[d] != 1) st[d] = 0;
        int off = rng.nextInt(3);
        float[] data = new float[s + off];
        for (int i = 0; i < data.length; i++) data[i] = 0.5f + rng.nextFloat() * 2;
        return new Operand(data, off, st);
    }

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        Random rng = new Random(7);
        int[][][] fixed = {
                {{3, 5, 17}, {3, 5, 17}, {3, 5, 17}}, // same shape
                {{3, 5, 17}, {3, 5, 17}, {1, 1, 17}}, // row broadcast [B,T,C] + [C]
                {{3, 5, 17}, {3, 5, 17}, {3, 5, 1}},  // column broadcast
                {{3, 5, 17}, {1, 1, 1}, {3, 5, 17}},  // scalar on the left
                {{2, 3, 4}, {2, 1, 4}, {1, 3, 1}},    // both broadcast
                {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
                {{4, 9, 11}, {4, 9, 11}, {1, 9, 11}}, // positional-embedding style
        };
        for (int[][] f : fixed) {
            out.add(new Object[] {f[0], f[1], f[2], false, rng.nextLong()});
            out.add(new Object[] {f[0], f[1], f[2], true, rng.nextLong()});
        }
        for (int i = 0; i < 8; i++) {
            int[] shape = {1 + rng.nextInt(4), 1 + rng.nextInt(6), 1 + rng.nextInt(21)};
            int[] a = shape.clone(), b = shape.clone();
            for (int d = 0; d < 3; d++) {
                if (rng.nextInt(3) == 0) a[d] = 1;
                else if (rng.nextInt(3) == 0) b[d] = 1;
            }
            out.add(new Object[] {shape, a, b, rng.nextBoolean(), rng.nextLong()});
        }
        // large enough to split across the pool
        out.add(new Object[] {new int[] {3, 70, 301}, new int[] {3, 70, 301}, new int[] {1, 1, 301}, false, 5L});
        out.add(new Object[] {new int[] {3, 70, 301}, new int[] {3, 70, 301}, new int[] {3, 70, 1}, true, 6L});
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPerElementIndexing(int[] shape, int[] aShape, int[] bShape, boolean transposeA, long seed) {
        Random rng = new Random(seed);
        Operand a = operand(rng, shape, aShape, transposeA), b = operand(rng, shape, bShape, false);
        int n = 1;
        for (int s : shape) n *= s;
        for (BinaryOp op : BinaryOp.values()) {
            float[] out = new float[n + 1];
            out[n] = 99f;
            BroadcastBinary.apply(op, shape, a.data(), a.off(), a.strides(), b.data(), b.off(), b.strides(), out, 0);
            float[] ref = ReferenceKernels.broadcastBinary(op, shape, a.data(), a.off(), a.strides(), b.data(), b.off(), b.strides());
            ReferenceKernels.assertSameFloats(java.util.Arrays.copyOf(out, n), ref, op.name());
            assertThat(out[n]).isEqualTo(99f);
        }
    }
}
