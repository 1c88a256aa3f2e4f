package ai.tarka.train;

import java.util.ArrayList;
import java.util.List;

/** Records each step's loss (and evaluations); can stop the run at a chosen step as if the process died. */
class LossRecorder implements TrainingListener {
    final List<Long> steps = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    final List<EvalReport> evals = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    long dieAfterStep = Long.MAX_VALUE;

    static final class Died extends RuntimeException {
        Died() {
            super("simulated crash");
        }
    }

    @Override
    public void onStep(StepReport r) {
        steps.add(r.step());
        losses.add(r.loss());
        if (r.step() == dieAfterStep) throw new Died();
    }

    @Override
    public void onEval(EvalReport r) {
        evals.add(r);
    }

    @Override
    public void onNote(String text) {
        notes.add(text);
    }

    double lossAt(long step) {
        return losses.get(steps.indexOf(step));
    }
}
