package ai.tarka.models;

/** The model families Tarka builds. */
public enum ModelArchitecture {
    /** GPT-2: learned positions, LayerNorm, GELU (tanh), biases, tied head. */
    GPT2,
    /** Llama family (Llama 2/3, Mistral, Qwen2, TinyLlama, llama2.c): RMSNorm, RoPE, SwiGLU, grouped-query attention. */
    LLAMA,
    /** Bidirectional encoder with a classification head. */
    ENCODER
}
