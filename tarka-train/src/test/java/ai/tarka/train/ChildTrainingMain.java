package ai.tarka.train;

import ai.tarka.train.config.TrainConfig;
import java.nio.file.Path;

/**
 * The child process of {@link KillResumeTest}: trains the tiny run with frequent checkpoints, pausing after each step
 * so the parent can kill it part-way (possibly while a checkpoint is being written).
 * Arguments: output directory, max steps, save steps, pause in milliseconds.
 */
public final class ChildTrainingMain {
    public static void main(String[] args) {
        TrainConfig c = TinyRuns.config(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        long pause = Long.parseLong(args[3]);
        new Trainer(c, new StandInBackend(), TinyRuns.inputs(c), new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).run(false);
    }
}
