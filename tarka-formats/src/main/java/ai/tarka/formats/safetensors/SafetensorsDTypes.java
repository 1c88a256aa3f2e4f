package ai.tarka.formats.safetensors;

import ai.tarka.formats.tensors.TensorDType;

/** The dtype names a safetensors header uses, mapped to {@link TensorDType}. */
final class SafetensorsDTypes {
    private SafetensorsDTypes() {
    }

    /** The type for a header name, or {@code null} when Tarka does not read it (for example F8_E4M3 or U32). */
    static TensorDType parse(String name) {
        return switch (name) {
            case "F32" -> TensorDType.F32;
            case "F16" -> TensorDType.F16;
            case "BF16" -> TensorDType.BF16;
            case "F64" -> TensorDType.F64;
            case "I64" -> TensorDType.I64;
            case "I32" -> TensorDType.I32;
            case "I16" -> TensorDType.I16;
            case "I8" -> TensorDType.I8;
            case "U8" -> TensorDType.U8;
            case "BOOL" -> TensorDType.BOOL;
            default -> null;
        };
    }

    /** The header name of a type; the enum names already match the safetensors spelling. */
    static String name(TensorDType type) {
        return type.name();
    }
}
