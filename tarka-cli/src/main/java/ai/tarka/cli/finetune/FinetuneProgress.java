package ai.tarka.cli.finetune;

import ai.tarka.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Prints a fine-tuning run: a line per logged step, per evaluation and per checkpoint. */
final class FinetuneProgress implements TrainingListener {
    private final PrintStream out;
    private final int every;

    FinetuneProgress(PrintStream out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    @Override
    public void onStart(TrainPlan plan) {
        if (plan.resumedFrom() != null) out.println("resuming from " + plan.resumedFrom() + " at step " + plan.firstStep());
        out.printf(Locale.ROOT, "training %,d parameters for steps %d..%d%n", plan.parameters(), plan.firstStep(), plan.maxSteps());
    }

    @Override
    public void onStep(StepReport r) {
        if (r.step() % every == 0 || r.step() == r.maxSteps()) {
            out.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e grad-norm %.3f %,.0f tok/s%n", r.step(), r.maxSteps(), r.loss(),
                    r.lr(), r.gradNorm(), r.tokensPerSecond());
        }
    }

    @Override
    public void onEval(EvalReport r) {
        out.printf(Locale.ROOT, "step %d: val loss %.4f, perplexity %.2f%n", r.step(), r.valLoss(), r.perplexity());
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        out.println("saved " + dir);
    }

    @Override
    public void onNote(String text) {
        out.println(text);
    }
}
