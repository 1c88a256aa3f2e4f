package ai.tarka.inference;

/**
 * Which channels of a head RoPE rotates together. Meta's checkpoints, llama2.c and llama.cpp's GGUF keep q/k rows in
 * the order where adjacent channels {@code (2i, 2i+1)} form a pair; Hugging Face checkpoints rotate the halves
 * {@code (i, i + D/2)}. Rotating in the file's own order avoids permuting (and, for quantised rows, re-encoding) q/k.
 */
public enum RopeLayout {
    ADJACENT_PAIRS, HALVES
}
