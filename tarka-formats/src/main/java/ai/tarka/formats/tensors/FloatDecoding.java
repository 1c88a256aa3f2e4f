package ai.tarka.formats.tensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Converts little-endian F32/F16/BF16/F64 elements in mapped memory to F32, exactly except F64's rounding. */
public final class FloatDecoding {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FloatDecoding() {
    }

    /**
     * Decodes {@code count} elements of {@code dtype} starting at byte {@code byteOffset} of {@code src} into
     * {@code dst[offset ..]}. The caller has checked the bounds and that the type is a float type.
     */
    public static void decode(MemorySegment src, long byteOffset, TensorDType dtype, float[] dst, int offset, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32, byteOffset, dst, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) dst[offset + i] = Float.float16ToFloat(src.get(I16, byteOffset + 2L * i));
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) dst[offset + i] = HalfFloats.bf16ToFloat(src.get(I16, byteOffset + 2L * i));
            }
            case F64 -> {
                for (int i = 0; i < count; i++) dst[offset + i] = (float) src.get(F64, byteOffset + 8L * i);
            }
            default -> throw new IllegalArgumentException(dtype + " is not a float type");
        }
    }
}
