package ai.tarka.finetune.config;

/** What a fine-tuning run trains. */
public enum AdapterKind {
    /** Every parameter not frozen by {@code frozen_modules}. */
    FULL,
    /** LoRA adapters over an fp32 base. */
    LORA,
    /** LoRA adapters over an NF4 base. */
    QLORA
}
