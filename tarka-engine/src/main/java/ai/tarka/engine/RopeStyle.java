package ai.tarka.engine;

/** Which channels of a head a rotary embedding rotates together. */
public enum RopeStyle {
    /** Pairs {@code (i, i + D/2)}: the Hugging Face "rotate_half" layout (GPT-NeoX, HF Llama checkpoints). */
    HALF,
    /** Pairs {@code (2i, 2i+1)}: Meta's original Llama and llama2.c layout. */
    INTERLEAVED
}
