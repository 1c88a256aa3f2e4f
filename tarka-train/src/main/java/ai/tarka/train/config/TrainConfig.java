package ai.tarka.train.config;

import java.nio.file.Path;

/**
 * A training run, as read from {@code train.yaml} (keys named as in Axolotl where they mean the same thing). Exactly
 * one of {@code baseModel} (a checkpoint or safetensors directory to start from) and {@code model} (an architecture
 * trained from scratch) is set.
 *
 * @param source                    the file this was read from (for messages); may be {@code null}
 * @param baseModel                 checkpoint / safetensors directory to start from, or {@code null}
 * @param model                     architecture and sizes to build, or {@code null}
 * @param tokenizer                 tokenizer file or directory, or {@code null} to find one beside the data / base model
 * @param data                      prepared shard directory, or a raw text file prepared on the fly
 * @param sequenceLen               tokens per row (T)
 * @param microBatchSize            rows per micro-batch (B)
 * @param gradientAccumulationSteps micro-batches per optimiser step
 * @param learningRate              peak learning rate
 * @param lrScheduler               decay after warm-up
 * @param cosineMinLrRatio          floor of the decay as a fraction of the peak
 * @param warmupSteps               linear warm-up steps
 * @param maxSteps                  optimiser steps in the run
 * @param evalSteps                 validation every this many steps (0 = only at the end)
 * @param evalBatches               validation micro-batches per evaluation
 * @param saveSteps                 checkpoint every this many steps (0 = only at the end)
 * @param saveTotalLimit            checkpoints kept (0 = all)
 * @param loggingSteps              a metrics line every this many steps
 * @param weightDecay               decoupled weight decay of rank ≥ 2 parameters
 * @param adamBeta1                 AdamW β1
 * @param adamBeta2                 AdamW β2
 * @param adamEpsilon               AdamW ε
 * @param maxGradNorm               global gradient-norm clip (0 = no clipping)
 * @param seed                      seed of the initial weights and the batch order
 * @param outputDir                 where checkpoints and metrics go
 * @param dropout                   dropout probability (0 = none)
 * @param samplePrompt              prompt of the text sample printed at each evaluation
 * @param sampleTokens              tokens generated for that sample (0 = no sample)
 */
public record TrainConfig(
        Path source,
        Path baseModel,
        ModelSpec model,
        Path tokenizer,
        Path data,
        int sequenceLen,
        int microBatchSize,
        int gradientAccumulationSteps,
        double learningRate,
        LrScheduler lrScheduler,
        double cosineMinLrRatio,
        int warmupSteps,
        int maxSteps,
        int evalSteps,
        int evalBatches,
        int saveSteps,
        int saveTotalLimit,
        int loggingSteps,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double maxGradNorm,
        long seed,
        Path outputDir,
        double dropout,
        String samplePrompt,
        int sampleTokens) {

    /** Tokens in one optimiser step. */
    public long tokensPerStep() {
        return (long) sequenceLen * microBatchSize * gradientAccumulationSteps;
    }

    /** This config with another step budget (the warm-up is clamped to it). */
    public TrainConfig withMaxSteps(int steps) {
        if (steps <= 0) throw new TrainConfigException(describe() + ": max_steps must be positive, got " + steps);
        return new TrainConfig(source, baseModel, model, tokenizer, data, sequenceLen, microBatchSize,
                gradientAccumulationSteps, learningRate, lrScheduler, cosineMinLrRatio, Math.min(warmupSteps, steps),
                steps, evalSteps, evalBatches, saveSteps, saveTotalLimit, loggingSteps, weightDecay, adamBeta1, adamBeta2,
                adamEpsilon, maxGradNorm, seed, outputDir, dropout, samplePrompt, sampleTokens);
    }

    /** This config writing to another directory. */
    public TrainConfig withOutputDir(Path dir) {
        return new TrainConfig(source, baseModel, model, tokenizer, data, sequenceLen, microBatchSize,
                gradientAccumulationSteps, learningRate, lrScheduler, cosineMinLrRatio, warmupSteps, maxSteps, evalSteps,
                evalBatches, saveSteps, saveTotalLimit, loggingSteps, weightDecay, adamBeta1, adamBeta2, adamEpsilon,
                maxGradNorm, seed, dir, dropout, samplePrompt, sampleTokens);
    }

    private String describe() {
        return source == null ? "train config" : source.toString();
    }
}
