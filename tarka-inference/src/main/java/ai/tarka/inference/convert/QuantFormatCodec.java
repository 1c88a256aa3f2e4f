package ai.tarka.inference.convert;

import ai.tarka.kernels.quant.Nf4;
import ai.tarka.kernels.quant.PlainRows;
import ai.tarka.kernels.quant.Q4_0;
import ai.tarka.kernels.quant.Q8_0;
import ai.tarka.kernels.quant.QuantFormat;
import java.lang.foreign.MemorySegment;

/** Encodes row-major floats into a format's row bytes (NF4 is written by its own path: its scales live apart). */
final class QuantFormatCodec {
    private QuantFormatCodec() {}

    static void encode(QuantFormat f, float[] v, int rows, int cols, MemorySegment dst) {
        int n = rows * cols;
        switch (f) {
            case F32, F16, BF16 -> PlainRows.encode(f, v, 0, n, dst, 0);
            case Q8_0 -> Q8_0.quantize(v, 0, n, dst, 0);
            case Q4_0 -> Q4_0.quantize(v, 0, n, dst, 0);
            case NF4 -> Nf4.quantize(v, rows, cols, dst, 0);
        }
    }
}
