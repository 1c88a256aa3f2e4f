package ai.tarka.cli.generate;

import ai.tarka.kernels.quant.QuantFormat;
import java.util.Locale;

/** Weight format names on the command line. */
public final class Formats {
    private Formats() {}

    public static QuantFormat parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "q8_0" -> QuantFormat.Q8_0;
            case "q4_0" -> QuantFormat.Q4_0;
            case "nf4" -> QuantFormat.NF4;
            case "f16" -> QuantFormat.F16;
            case "bf16" -> QuantFormat.BF16;
            case "f32" -> QuantFormat.F32;
            default -> throw new IllegalArgumentException("unsupported quantisation type '" + s + "' (supported: q8_0, q4_0, nf4, f16, bf16, f32)");
        };
    }
}
