package ai.tarka.formats.gguf;

/**
 * One metadata value. Scalars: integer types up to int32 are {@code Integer}, uint32/int64/uint64 are {@code Long}
 * (uint64 keeps its bit pattern), float32 {@code Float}, float64 {@code Double}, bool {@code Boolean}, string
 * {@code String}. Arrays ({@code type == ARRAY}) hold a primitive array chosen the same way ({@code int[]},
 * {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}) or, for arrays of arrays,
 * a {@code GgufValue[]}; {@code elementType} names the element type.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {
}
