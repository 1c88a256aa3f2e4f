package ai.tarka.kernels.elementwise;

/** The four arithmetic operations the broadcasting loops dispatch on (once per run, never per element). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV
}
