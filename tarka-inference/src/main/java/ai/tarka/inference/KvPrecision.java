package ai.tarka.inference;

/** How a sequence's key/value cache stores its entries: F32 exactly, or F16 at half the memory (rounded to nearest even). */
public enum KvPrecision {
    F32, F16
}
