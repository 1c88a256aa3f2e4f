package ai.tarka.finetune.config;

import ai.tarka.finetune.data.DatasetSpec;
import ai.tarka.finetune.lora.LoraConfig;
import ai.tarka.train.config.LrScheduler;
import java.nio.file.Path;
import java.util.List;

/**
 * A fine-tuning run as read from YAML, keys named as in Axolotl.
 *
 * @param source                the YAML file (for messages)
 * @param baseModel             a folder with config.json + model.safetensors, a .gguf file or a llama2.c .bin
 * @param tokenizer             tokenizer file or folder (defaults to the base model's)
 * @param chatTemplate          built-in template name, or null for the tokenizer's own (else alpaca / chatml)
 * @param datasets              training data
 * @param valSetSize            fraction (&lt; 1) or number (≥ 1) of examples held out for validation
 * @param sequenceLen           tokens per row
 * @param samplePacking         pack several examples per row
 * @param excessLength          what happens to examples longer than sequenceLen
 * @param adapter               full, lora or qlora
 * @param lora                  adapter options (null for full fine-tuning)
 * @param frozenModules         name globs frozen in full fine-tuning
 * @param gradientCheckpointing recompute block activations in backward
 * @param numEpochs             passes over the training rows (used when max_steps is 0)
 * @param maxSteps              optimiser steps (0: from num_epochs)
 */
public record FinetuneConfig(Path source, Path baseModel, Path tokenizer, String chatTemplate, List<DatasetSpec> datasets,
                             double valSetSize, int sequenceLen, boolean samplePacking,
                             ExcessLengthStrategy excessLength, AdapterKind adapter, LoraConfig lora,
                             List<String> frozenModules, int microBatchSize, int gradientAccumulationSteps, double numEpochs,
                             int maxSteps, double learningRate, LrScheduler lrScheduler, int warmupSteps, double weightDecay,
                             double maxGradNorm, boolean gradientCheckpointing, int evalSteps, int saveSteps,
                             int saveTotalLimit, int loggingSteps, Path outputDir, long seed) {
    public FinetuneConfig {
        datasets = List.copyOf(datasets);
        frozenModules = List.copyOf(frozenModules);
    }

    public String describe() {
        return source == null ? "finetune config" : source.toString();
    }
}
