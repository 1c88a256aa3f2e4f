package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.train.checkpoint.CheckpointDirs;
import ai.tarka.train.config.TrainConfig;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 test: a child JVM trains with a checkpoint every 3 steps and is killed with SIGKILL once a
 * checkpoint exists; the run resumed in this JVM must reproduce the next 50 losses of an uninterrupted run exactly,
 * and no unfinished checkpoint directory may survive the resume.
 */
class KillResumeTest {
    private static final int MAX_STEPS = 90;
    private static final int SAVE_STEPS = 3;

    @TempDir
    Path tmp;

    @Test
    void killDashNineThenResumeReproducesTheNextFiftyLosses() throws Exception {
        Path killed = tmp.resolve("killed");
        Process child = startChild(killed);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (CheckpointDirs.list(killed).isEmpty()) {
                assertThat(child.isAlive()).as("child training still running (exit %s)", child.isAlive() ? "-" : child.exitValue()).isTrue();
                assertThat(System.nanoTime()).as("a checkpoint within 60 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            Thread.sleep(40); // let it get some way past the checkpoint, maybe into writing the next one
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long resumeFrom = CheckpointDirs.latest(killed).orElseThrow().step();
        assertThat(resumeFrom).isLessThan(MAX_STEPS - 50);

        TrainConfig straightConfig = TinyRuns.config(tmp.resolve("straight"), MAX_STEPS, 0);
        LossRecorder straight = new LossRecorder();
        new Trainer(straightConfig, new StandInBackend(), TinyRuns.inputs(straightConfig), straight).run(false);

        TrainConfig resumeConfig = TinyRuns.config(killed, MAX_STEPS, SAVE_STEPS);
        LossRecorder resumed = new LossRecorder();
        resumed.dieAfterStep = resumeFrom + 50;
        try {
            new Trainer(resumeConfig, new StandInBackend(), TinyRuns.inputs(resumeConfig), resumed).run(true);
        } catch (LossRecorder.Died stop) {
            // 50 steps are enough
        }
        assertThat(resumed.steps).hasSize(50).startsWith(resumeFrom + 1);
        for (long step = resumeFrom + 1; step <= resumeFrom + 50; step++) {
            assertThat(resumed.lossAt(step)).as("loss at step %d", step).isEqualTo(straight.lossAt(step));
        }
        try (Stream<Path> s = Files.list(killed)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
        for (CheckpointDirs.Checkpoint c : CheckpointDirs.list(killed)) {
            assertThat(c.dir().resolve("trainer_state/state.json")).isRegularFile();
            assertThat(c.dir().resolve("trainer_state/optimizer.safetensors")).isRegularFile();
        }
    }

    /** A JVM with this test's classpath and flags (same thread count, same vector settings). */
    private static Process startChild(Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent") || arg.startsWith("-agentlib") || arg.startsWith("-Xrunjdwp")) continue;
            cmd.add(arg);
        }
        if (cmd.stream().noneMatch(a -> a.contains("jdk.incubator.vector"))) cmd.add("--add-modules=jdk.incubator.vector");
        String threads = System.getProperty("tarka.threads");
        if (threads != null && cmd.stream().noneMatch(a -> a.startsWith("-Dtarka.threads"))) cmd.add("-Dtarka.threads=" + threads);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildTrainingMain.class.getName());
        cmd.add(out.toString());
        cmd.add(Integer.toString(MAX_STEPS));
        cmd.add(Integer.toString(SAVE_STEPS));
        cmd.add("15");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                new File(out.getParent().toFile(), "child.log"))).start();
    }
}
