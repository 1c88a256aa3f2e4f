/** Fine-tuning: dataset formats, chat-template loss masks, packing, full fine-tuning, LoRA and QLoRA with PEFT-compatible adapters. */
package ai.tarka.finetune;
