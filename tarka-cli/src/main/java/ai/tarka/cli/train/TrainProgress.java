package ai.tarka.cli.train;

import ai.tarka.cli.progress.Progress;
import ai.tarka.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders a training run: a progress bar over steps (with its rate and ETA) whose status shows the step, loss,
 * learning rate and tokens/s; a line per evaluation (validation loss, perplexity, the sample) and per checkpoint.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {
    private final PrintStream out;
    private Progress bar;

    TrainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStart(TrainPlan plan) {
        if (plan.resumedFrom() != null) out.println("resuming from " + plan.resumedFrom() + " at step " + plan.firstStep());
        out.printf(Locale.ROOT, "training %,d parameters for steps %d..%d, %,d tokens per step%n",
                plan.parameters(), plan.firstStep(), plan.maxSteps(), plan.tokensPerStep());
        bar = Progress.start("train", Math.max(0, plan.maxSteps() - plan.firstStep() + 1), "steps");
    }

    @Override
    public void onStep(StepReport r) {
        // the bar shows its own ETA (evaluations and checkpoints included), so the status leaves it out
        bar.status(String.format(Locale.ROOT, "step %d loss %.4f lr %.2e %,.0f tok/s",
                r.step(), r.loss(), r.lr(), r.tokensPerSecond()));
        bar.step(1);
    }

    @Override
    public void onEval(EvalReport r) {
        out.printf(Locale.ROOT, "%nstep %d: val loss %.4f, perplexity %.2f%n", r.step(), r.valLoss(), r.perplexity());
        if (r.sample() != null) out.println("sample: " + r.sample().replace("\n", "\n        "));
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        out.println("saved " + dir);
    }

    @Override
    public void onNote(String text) {
        out.println(text);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        bar = null;
    }

    static String duration(double seconds) {
        long t = Math.round(seconds);
        if (t < 60) return t + "s";
        if (t < 3600) return (t / 60) + "m" + String.format("%02d", t % 60) + "s";
        return (t / 3600) + "h" + String.format("%02d", (t % 3600) / 60) + "m";
    }
}
