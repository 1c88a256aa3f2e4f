package ai.tarka.train;

import ai.tarka.tokenizers.TextTokenizer;
import java.nio.file.Path;

/**
 * The data side of a run, resolved from the config by the caller.
 *
 * @param data          training and validation batches
 * @param tokenizer     for the text samples at each evaluation, or {@code null} for no samples
 * @param tokenizerFile a {@code tokenizer.json} copied into every checkpoint, or {@code null}
 * @param vocabSize     the tokenizer's vocabulary size (used when the config leaves {@code vocab_size} out)
 */
public record TrainingInputs(TrainingData data, TextTokenizer tokenizer, Path tokenizerFile, int vocabSize) {}
