package ai.tarka.train.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code trainer_state/state.json}: everything besides the weights and optimiser moments that a resumed run needs to
 * continue exactly where the checkpoint left off. The batch sampler is stateless (a function of seed and micro-batch
 * index), so its "RNG state" is the seed plus {@code dataPosition}.
 *
 * @param step          optimiser steps completed
 * @param dataPosition  training micro-batches consumed (the next one has this index)
 * @param seed          seed of the batch order (and of the initial weights)
 * @param rng           how randomness is derived, for readers: {@code "stateless:seed+index"}
 * @param configHash    SHA-256 of the config keys that shape the trajectory; a resume with other values is refused
 * @param schedule      the learning-rate schedule the run uses
 * @param tokensSeen    trained tokens so far
 * @param trainSeconds  wall time spent in training steps so far (for throughput and the summary)
 * @param lossHistory   the last training losses
 * @param lastValLoss   the latest validation loss, or null if none yet
 * @param threads       compute threads of the run (results are bit-identical only for the same count)
 */
public record TrainerState(long step, long dataPosition, long seed, String rng, String configHash, Schedule schedule,
                           long tokensSeen, double trainSeconds, List<LossPoint> lossHistory, Double lastValLoss,
                           int threads) {

    /** How many recent losses a checkpoint keeps. */
    public static final int HISTORY = 100;

    public record Schedule(String type, double peakLr, double minLr, long warmupSteps, long totalSteps) {}

    public record LossPoint(long step, double loss) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static TrainerState read(Path file) {
        try {
            return JSON.readValue(file.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read trainer state: " + e.getMessage(), e);
        }
    }
}
