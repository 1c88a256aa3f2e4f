package ai.tarka.train.data;

import ai.tarka.data.PreparedData;
import ai.tarka.data.download.ShakespeareSource;
import ai.tarka.data.prepare.DataPreparer;
import ai.tarka.data.prepare.PrepareOptions;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.train.TrainingInputs;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolves a config's {@code data} and {@code tokenizer} into {@link TrainingInputs}: a folder written by
 * {@code tarka data prepare} is opened as it is; a raw text file (or {@code shakespeare}, Tiny Shakespeare from the
 * shared data, the cache or its public address) is prepared first into {@code output_dir/data}
 * (once: a later run or a resume reuses it) with the config's tokenizer, or a character vocabulary when none is given.
 * The tokenizer defaults to the one the shards were made with.
 */
public final class PreparedInputs implements AutoCloseable {
    private final PreparedData data;
    private final TrainingInputs inputs;

    private PreparedInputs(PreparedData data, TrainingInputs inputs) {
        this.data = data;
        this.inputs = inputs;
    }

    /** The name of {@code data} that means Tiny Shakespeare (shared data copy, cache, or a one-time download). */
    public static final String SHAKESPEARE = "shakespeare";

    public static PreparedInputs open(TrainConfig config, DataPreparer.Listener preparing, Consumer<String> notes) {
        Path dir = shardFolder(config, preparing, notes);
        PreparedData data = PreparedData.open(dir);
        try {
            Path tokPath = config.tokenizer() != null ? config.tokenizer() : data.tokenizerPath();
            TextTokenizer tokenizer = TokenizerLoader.load(tokPath);
            Path tokenizerJson = tokenizerJson(tokPath);
            ShardTrainingData batches = new ShardTrainingData(data, config.microBatchSize(), config.sequenceLen(), config.seed());
            return new PreparedInputs(data, new TrainingInputs(batches, tokenizer, tokenizerJson, data.vocabSize()));
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private static Path shardFolder(TrainConfig config, DataPreparer.Listener preparing, Consumer<String> notes) {
        Path src = config.data();
        String file = config.source() == null ? "train config" : config.source().toString();
        if (Files.isDirectory(src) && Files.isRegularFile(src.resolve(PreparedData.META))) return src;
        Path target = config.outputDir().resolve("data");
        if (Files.isRegularFile(target.resolve(PreparedData.META))) return target;
        if (!Files.exists(src) && src.toString().equals(SHAKESPEARE)) src = ShakespeareSource.locate(notes);
        if (!Files.exists(src)) throw new TrainConfigException(file + ": key 'data': " + src + " does not exist");
        DataPreparer.prepare(PrepareOptions.of(List.of(src), target, config.tokenizer()), preparing);
        return target;
    }

    /** The {@code tokenizer.json} to copy into checkpoints, or null when the tokenizer is in another format. */
    private static Path tokenizerJson(Path tokPath) {
        if (Files.isRegularFile(tokPath) && tokPath.getFileName().toString().equals("tokenizer.json")) return tokPath;
        Path inside = tokPath.resolve("tokenizer.json");
        return Files.isDirectory(tokPath) && Files.isRegularFile(inside) ? inside : null;
    }

    public TrainingInputs inputs() {
        return inputs;
    }

    @Override
    public void close() {
        data.close();
    }
}
