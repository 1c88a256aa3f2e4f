package ai.tarka.cli.tracking;

import ai.tarka.tracking.TrackedRun;
import ai.tarka.train.TrainingListener;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records a training run: forwards every report to {@code delegate} (the progress display) and logs it to
 * {@code run} — the plan as params, loss / lr / gradient norm / tokens per second every step, validation loss and
 * perplexity every evaluation, each checkpoint's path as a tag ({@code tarka.checkpoint.STEP}; checkpoints stay
 * where the trainer wrote them rather than being copied into the artifact folder).
 */
public final class TrackingTrainingListener implements TrainingListener {
    private final TrackedRun run;
    private final TrainingListener delegate;

    public TrackingTrainingListener(TrackedRun run, TrainingListener delegate) {
        this.run = run;
        this.delegate = delegate == null ? new TrainingListener() {} : delegate;
    }

    @Override
    public void onStart(TrainPlan plan) {
        delegate.onStart(plan);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("plan.tokens_per_step", plan.tokensPerStep());
        p.put("plan.parameters", plan.parameters());
        if (plan.resumedFrom() == null) run.logParams(p); // a resumed run already has them
        else run.setTags(Map.of("tarka.resumed_from", plan.resumedFrom().toString()));
    }

    @Override
    public void onStep(StepReport r) {
        delegate.onStep(r);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", r.loss());
        m.put("learning_rate", r.lr());
        m.put("grad_norm", r.gradNorm());
        m.put("tokens_per_second", r.tokensPerSecond());
        m.put("tokens", (double) r.tokens());
        run.logMetrics(r.step(), m);
    }

    @Override
    public void onEval(EvalReport r) {
        delegate.onEval(r);
        run.logMetrics(r.step(), Map.of("val_loss", r.valLoss(), "val_perplexity", r.perplexity()));
    }

    @Override
    public void onTaskScores(long step, Map<String, Double> scores) {
        delegate.onTaskScores(step, scores);
        run.logMetrics(step, scores);
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        delegate.onCheckpoint(step, dir);
        run.setTags(Map.of("tarka.checkpoint." + step, dir.toAbsolutePath().toString(), "tarka.checkpoint.latest", dir.toAbsolutePath().toString()));
    }

    @Override
    public void onNote(String text) {
        delegate.onNote(text);
    }

    @Override
    public void onFinish(TrainSummary s) {
        delegate.onFinish(s);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("final_train_loss", s.finalTrainLoss());
        if (!Double.isNaN(s.finalValLoss())) m.put("final_val_loss", s.finalValLoss());
        m.put("train_seconds", s.seconds());
        run.logMetrics(s.steps(), m);
    }
}
