package ai.tarka.kernels.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every format's vector dot product and parallel matmul against the plain-loop decoder in {@link QuantReference},
 * on row lengths that are whole blocks but not multiples of the vector width or of two blocks, and odd row counts.
 * Tolerance: |fast − exact| ≤ 2e-6·Σ|w·x| + 1e-6 (float accumulation over up to ~1000 terms, exact = double sum of
 * the decoded weights).
 */
class QuantKernelsTest {

    static Stream<Arguments> cases() {
        Random r = new Random(20261129);
        List<Arguments> out = new ArrayList<>();
        for (QuantFormat f : QuantFormat.values()) {
            for (int k = 0; k < 4; k++) {
                int blocks = 1 + r.nextInt(f.blockSize() == 1 ? 300 : 17);
                int rows = 1 + r.nextInt(37);
                int batch = 1 + r.nextInt(3);
                out.add(Arguments.of(f, rows, blocks * f.blockSize() + (f.blockSize() == 1 ? r.nextInt(7) : 0), batch, r.nextLong()));
            }
        }
        return out.stream();
    }

    /** A [rows, cols] matrix in format f, from random normal floats. */
    record Stored(MemorySegment data, Nf4Scales scales) {}

    static Stored store(QuantFormat f, float[] w, int rows, int cols, Arena arena) {
        MemorySegment seg = arena.allocate(f.rowBytes(cols) * rows + 3).asSlice(3); // odd offset: unaligned reads
        Nf4Scales scales = null;
        switch (f) {
            case F32, F16, BF16 -> PlainRows.encode(f, w, 0, rows * cols, seg, 0);
            case Q8_0 -> Q8_0.quantize(w, 0, rows * cols, seg, 0);
            case Q4_0 -> Q4_0.quantize(w, 0, rows * cols, seg, 0);
            case NF4 -> scales = Nf4.quantize(w, rows, cols, seg, 0);
        }
        return new Stored(seg, scales);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matmulMatchesThePlainDecoder(QuantFormat f, int rows, int cols, int batch, long seed) {
        Random r = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.2f;
        int ldx = cols + 5;
        float[] x = new float[batch * ldx + 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        try (Arena arena = Arena.ofShared()) {
            Stored s = store(f, w, rows, cols, arena);
            float[] y = new float[batch * (rows + 1) + 1];
            QuantMatVec.matmul(f, s.data(), 0, s.scales(), rows, cols, x, 2, ldx, batch, y, 1, rows + 1);
            float[] deq = new float[rows * cols];
            QuantMatVec.dequantizeRows(f, s.data(), 0, s.scales(), cols, 0, rows, deq, 0);
            for (int row = 0; row < rows; row++) {
                float[] ref = QuantReference.decodeRow(f, s.data(), row * f.rowBytes(cols), s.scales(), row, cols);
                for (int c = 0; c < cols; c++) assertThat(deq[row * cols + c]).as("dequantised [%d,%d]", row, c).isEqualTo(ref[c]);
                for (int b = 0; b < batch; b++) {
                    double exact = QuantReference.dot(ref, x, 2 + b * ldx);
                    double tol = 2e-6 * QuantReference.absDot(ref, x, 2 + b * ldx) + 1e-6;
                    assertThat((double) y[1 + b * (rows + 1) + row]).as("%s row %d vector %d", f, row, b).isCloseTo(exact, org.assertj.core.data.Offset.offset(tol));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void roundTripErrorIsWithinTheFormatsStep(QuantFormat f, int rows, int cols, int batch, long seed) {
        Random r = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        try (Arena arena = Arena.ofShared()) {
            Stored s = store(f, w, rows, cols, arena);
            float[] deq = new float[rows * cols];
            QuantMatVec.dequantizeRows(f, s.data(), 0, s.scales(), cols, 0, rows, deq, 0);
            int bs = Math.max(f.blockSize(), 1);
            for (int b = 0; b < w.length / bs; b++) {
                float amax = 0;
                for (int j = 0; j < bs; j++) amax = Math.max(amax, Math.abs(w[b * bs + j]));
                // half a step plus the f16 rounding of the scale (2^-11 relative on the largest code)
                double bound = switch (f) {
                    case F32 -> 0;
                    case F16 -> amax * 0x1p-11 + 0x1p-24; // subnormal f16 steps are 2^-24
                    case BF16 -> amax * 0x1p-8;
                    case Q8_0 -> amax / 127 * (0.5 + 127 * 0x1p-11) * 1.0001;
                    // a value of magnitude amax opposite in sign to the extreme would need code 16: clamped to 15, a whole step off
                    case Q4_0 -> amax / 8 * (1.0 + 8 * 0x1p-11) * 1.0001;
                    // half the widest gap between NF4 codes (-1 .. -0.6962) times the decoded absmax, which is off
                    // by at most half an 8-bit scale step; values beyond the decoded absmax clamp to +-1
                    case NF4 -> {
                        double half = 0.5 * s.scales().groupScales()[b / Nf4Scales.GROUP];
                        yield 0.1520 * (amax + half) + half + 1e-6;
                    }
                };
                for (int j = 0; j < bs; j++)
                    assertThat((double) Math.abs(deq[b * bs + j] - w[b * bs + j])).as("%s element %d", f, b * bs + j).isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void q8_0BytesFollowGgmlsReferenceRounding() {
        float[] x = new float[32];
        x[0] = 127f;   // absmax 127: d = 1 exactly
        x[1] = 2.5f;   // roundf: half away from zero -> 3 (rint would give 2)
        x[2] = -2.5f;  // -> -3
        x[3] = 0.49999997f; // -> 0
        x[4] = -127f;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(34);
            Q8_0.quantize(x, 0, 32, seg, 0);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x00); // f16 1.0 = 0x3C00, little-endian
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 0x3C);
            assertThat(new byte[] {seg.get(ValueLayout.JAVA_BYTE, 2), seg.get(ValueLayout.JAVA_BYTE, 3),
                    seg.get(ValueLayout.JAVA_BYTE, 4), seg.get(ValueLayout.JAVA_BYTE, 5), seg.get(ValueLayout.JAVA_BYTE, 6)})
                    .containsExactly(127, 3, -3, 0, -127);
        }
    }

    @Test
    void q4_0BytesFollowGgmlsReferenceLayout() {
        float[] x = new float[32];
        x[0] = -8f;    // largest magnitude, negative: d = -8 / -8 = 1
        x[1] = 3f;     // trunc(3 + 8.5) = 11
        x[2] = 7.9f;   // trunc(16.4) = 16 -> clamped to 15
        x[16] = 0.4f;  // element 16 is the high nibble of byte 0: trunc(8.9) = 8
        x[17] = -3f;   // trunc(5.5) = 5
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(18);
            Q4_0.quantize(x, 0, 32, seg, 0);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x00);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 0x3C);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) (0 | 8 << 4));
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) (11 | 5 << 4));
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 4)).isEqualTo((byte) (15 | 8 << 4));
            // a positive extreme gives a negative scale: 8 -> trunc(-8 + 8.5) = 0
            x[0] = 8f;
            Q4_0.quantize(x, 0, 32, seg, 0);
            assertThat(Float.float16ToFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0))).isEqualTo(-1f);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 2) & 0x0F).isZero();
        }
    }

    @Test
    void wrongSizesNameTheOperationAndFormat() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(100);
            assertThatThrownBy(() -> Q8_0.quantize(new float[40], 0, 40, seg, 0))
                    .hasMessageContaining("Q8_0.quantize").hasMessageContaining("32").hasMessageContaining("40");
            assertThatThrownBy(() -> QuantMatVec.matvec(QuantFormat.Q4_0, seg, 0, null, 10, 32, new float[32], 0, new float[10], 0))
                    .hasMessageContaining("QuantMatVec.matmul").hasMessageContaining("180 bytes");
        }
    }
}
