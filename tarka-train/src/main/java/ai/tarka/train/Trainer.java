package ai.tarka.train;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.Losses;
import ai.tarka.engine.Reduction;
import ai.tarka.engine.Tensor;
import ai.tarka.kernels.ComputePool;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.OptimizerState;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.train.StepStats;
import ai.tarka.nn.train.TrainingStep;
import ai.tarka.train.TrainingListener.EvalReport;
import ai.tarka.train.TrainingListener.StepReport;
import ai.tarka.train.TrainingListener.TrainPlan;
import ai.tarka.train.TrainingListener.TrainSummary;
import ai.tarka.train.checkpoint.CheckpointDirs;
import ai.tarka.train.checkpoint.CheckpointException;
import ai.tarka.train.checkpoint.CheckpointWriter;
import ai.tarka.train.checkpoint.OptimizerTensors;
import ai.tarka.train.checkpoint.TrainerState;
import ai.tarka.train.checkpoint.TrainerState.LossPoint;
import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training loop of {@code tarka train}: AdamW with decoupled weight decay on the rank ≥ 2 parameters only (matrices
 * and embeddings, as nanoGPT does; biases and norm scales are not decayed), warm-up then cosine/linear decay to a
 * floor, global gradient-norm clipping, gradient accumulation normalised by the trained tokens of all micro-batches,
 * validation loss and perplexity every {@code eval_steps} with a greedy text sample, checkpoints every
 * {@code save_steps} and at the end, and exact resumption.
 *
 * <p>Resumption is bit-identical because nothing random is carried in memory: training batch {@code i} is a pure
 * function of (seed, i), and the weights, AdamW moments and step counter are restored exactly from the checkpoint.
 */
public final class Trainer {
    private final TrainConfig config;
    private final ModelBackend backend;
    private final TrainingInputs inputs;
    private final TrainingListener listener;

    private CausalLm model;
    private ModelConfig modelConfig;
    private ParameterBuffer buffer;
    private AdamW optimizer;

    public Trainer(TrainConfig config, ModelBackend backend, TrainingInputs inputs, TrainingListener listener) {
        this.config = config;
        this.backend = backend;
        this.inputs = inputs;
        this.listener = listener == null ? new TrainingListener() {} : listener;
    }

    private EvalTasks evalTasks;

    /** Runs {@code tasks} after the validation loss at every evaluation (e.g. the harness's tasks); returns this. */
    public Trainer withEvalTasks(EvalTasks tasks) {
        this.evalTasks = tasks;
        return this;
    }

    /** Trains to {@code max_steps}; with {@code resume}, continues from the latest checkpoint of the output directory. */
    public TrainSummary run(boolean resume) {
        Path out = config.outputDir();
        if (config.dropout() > 0) {
            throw new TrainConfigException(source() + ": key 'dropout' is " + config.dropout()
                    + ", but the model builders have no dropout yet; set it to 0");
        }
        int stale = CheckpointDirs.removeStaleTemps(out);
        if (stale > 0) listener.onNote("removed " + stale + " unfinished checkpoint director" + (stale == 1 ? "y" : "ies") + " in " + out);
        Optional<CheckpointDirs.Checkpoint> latest = CheckpointDirs.latest(out);
        if (!resume && latest.isPresent()) {
            throw new TrainConfigException(out + " already holds " + latest.get().dir().getFileName()
                    + "; pass --resume to continue that run, or choose another output_dir");
        }
        if (resume && latest.isEmpty()) listener.onNote("no checkpoint in " + out + " to resume from; starting at step 1");
        TrainerState state = resume && latest.isPresent() ? restoreFrom(latest.get().dir()) : startFresh();
        return train(state, resume && latest.isPresent() ? latest.get().dir() : null);
    }

    private String source() {
        return config.source() == null ? "train config" : config.source().toString();
    }

    // ---------------------------------------------------------------- set-up

    private TrainerState startFresh() {
        if (config.baseModel() != null) {
            Path base = config.baseModel();
            modelConfig = readConfig(base.resolve("config.json"));
            model = backend.create(modelConfig, config.seed());
            readWeights(base.resolve("model.safetensors"));
        } else {
            if (config.model().vocabSize() == 0 && inputs.vocabSize() <= 0) {
                throw new TrainConfigException(source() + ": key 'model.vocab_size' is left out and no tokenizer gives one");
            }
            modelConfig = config.model().toModelConfig(inputs.vocabSize());
            model = backend.create(modelConfig, config.seed());
        }
        checkFits();
        buildOptimizer();
        return new TrainerState(0, 0, config.seed(), "stateless:seed+index", ConfigFingerprint.of(config),
                Schedules.describe(config), 0, 0, List.of(), null, ComputePool.shared().threads());
    }

    private TrainerState restoreFrom(Path dir) {
        Path stateFile = dir.resolve("trainer_state").resolve("state.json");
        TrainerState state = TrainerState.read(stateFile);
        String hash = ConfigFingerprint.of(config);
        if (!hash.equals(state.configHash())) {
            throw new TrainConfigException(source() + ": the config differs from the one that wrote " + dir
                    + " (config hash " + hash.substring(0, 12) + " vs " + state.configHash().substring(0, Math.min(12, state.configHash().length()))
                    + "); resuming needs the same model, data, batch, optimiser, schedule and seed keys");
        }
        modelConfig = readConfig(dir.resolve("config.json"));
        model = backend.create(modelConfig, config.seed());
        readWeights(dir.resolve("model.safetensors"));
        checkFits();
        buildOptimizer();
        Path optFile = dir.resolve("trainer_state").resolve("optimizer.safetensors");
        OptimizerState loaded = OptimizerTensors.fromTensors(readTensors(optFile), optimizer.state(), state.step(), optFile.toString());
        optimizer.loadState(loaded);
        int threads = ComputePool.shared().threads();
        if (state.threads() > 0 && state.threads() != threads) {
            listener.onNote("resuming with " + threads + " compute threads; " + dir.getFileName() + " was written with "
                    + state.threads() + ", so the losses may differ from an uninterrupted run in the last bits");
        }
        return state;
    }

    private void checkFits() {
        if (inputs.vocabSize() > modelConfig.vocabSize()) {
            throw new TrainConfigException(source() + ": the tokenizer has " + inputs.vocabSize()
                    + " tokens but the model's vocab_size is " + modelConfig.vocabSize());
        }
        if (config.sequenceLen() > modelConfig.maxPositions()) {
            throw new TrainConfigException(source() + ": key 'sequence_len' (" + config.sequenceLen()
                    + ") exceeds the model's max_position_embeddings (" + modelConfig.maxPositions() + ")");
        }
    }

    private void buildOptimizer() {
        buffer = ParameterBuffer.flatten(model.module());
        optimizer = AdamW.builder(buffer)
                .schedule(Schedules.of(config))
                .betas(config.adamBeta1(), config.adamBeta2())
                .eps(config.adamEpsilon())
                .weightDecay(config.weightDecay())
                .group(ParamGroup.noDecayBelowRank2())
                .build();
    }

    private ModelConfig readConfig(Path file) {
        try {
            return backend.readConfig(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read model config: " + e.getMessage(), e);
        }
    }

    private void readWeights(Path file) {
        try {
            backend.readWeights(model, file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read weights: " + e.getMessage(), e);
        }
    }

    private Map<String, NamedArray> readTensors(Path file) {
        try {
            return backend.readTensors(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read tensors: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- the loop

    private TrainSummary train(TrainerState state, Path resumedFrom) {
        long step = state.step();
        long tokensSeen = state.tokensSeen();
        double trainSeconds = state.trainSeconds();
        ArrayDeque<LossPoint> history = new ArrayDeque<>(state.lossHistory());
        double lastLoss = history.isEmpty() ? Double.NaN : history.getLast().loss();
        double lastVal = state.lastValLoss() == null ? Double.NaN : state.lastValLoss();
        Path lastCheckpoint = resumedFrom;
        int accum = config.gradientAccumulationSteps();
        TrainingStep trainingStep = new TrainingStep(optimizer, config.maxGradNorm() > 0 ? config.maxGradNorm() : Double.POSITIVE_INFINITY);
        listener.onStart(new TrainPlan(step + 1, config.maxSteps(), config.tokensPerStep(), buffer.trainableSize(), resumedFrom, modelConfig));

        RecentRate rate = new RecentRate(RATE_WINDOW);
        try (MetricsLog metrics = MetricsLog.open(config.outputDir(), step)) {
            model.module().train();
            while (step < config.maxSteps()) {
                long t0 = System.nanoTime();
                for (int m = 0; m < accum; m++) {
                    MicroBatch b = inputs.data().trainBatch(step * accum + m);
                    trainingStep.microBatch(() -> meanLoss(b), b.trainedTokens());
                }
                StepStats s = trainingStep.finish();
                step = s.step();
                double dt = (System.nanoTime() - t0) / 1e9;
                rate.add(dt, s.tokens());
                trainSeconds += dt;
                tokensSeen += s.tokens();
                lastLoss = s.loss();
                history.addLast(new LossPoint(step, s.loss()));
                while (history.size() > TrainerState.HISTORY) history.removeFirst();

                StepReport report = new StepReport(step, config.maxSteps(), s.loss(), s.lr(), s.gradNorm(), tokensSeen,
                        rate.tokensPerSecond(), (config.maxSteps() - step) * rate.secondsPerStep());
                listener.onStep(report);
                boolean last = step == config.maxSteps();
                if (step % config.loggingSteps() == 0 || last) metrics.train(report, trainSeconds);
                if ((config.evalSteps() > 0 && step % config.evalSteps() == 0) || last) {
                    EvalReport e = evaluate(step);
                    lastVal = e.valLoss();
                    metrics.eval(e, trainSeconds);
                    listener.onEval(e);
                    if (evalTasks != null) {
                        Map<String, Double> scores = evalTasks.evaluate(model, inputs.tokenizer(), step);
                        metrics.tasks(step, scores, trainSeconds);
                        listener.onTaskScores(step, scores);
                    }
                }
                if ((config.saveSteps() > 0 && step % config.saveSteps() == 0) || last) {
                    TrainerState now = new TrainerState(step, step * accum, config.seed(), state.rng(), ConfigFingerprint.of(config),
                            Schedules.describe(config), tokensSeen, trainSeconds, new ArrayList<>(history),
                            Double.isNaN(lastVal) ? null : lastVal, ComputePool.shared().threads());
                    lastCheckpoint = save(now);
                }
            }
        }
        TrainSummary summary = new TrainSummary(step, tokensSeen, trainSeconds, lastLoss, lastVal, lastCheckpoint);
        listener.onFinish(summary);
        return summary;
    }

    /** Steps over which tokens/s and the ETA are averaged, so JIT warm-up at the start does not linger in them. */
    static final int RATE_WINDOW = 20;

    /** Throughput over the last few steps. */
    static final class RecentRate {
        private final double[] seconds;
        private final long[] tokens;
        private int count, next;

        RecentRate(int window) {
            seconds = new double[window];
            tokens = new long[window];
        }

        void add(double dt, long stepTokens) {
            seconds[next] = dt;
            tokens[next] = stepTokens;
            next = (next + 1) % seconds.length;
            count = Math.min(count + 1, seconds.length);
        }

        double tokensPerSecond() {
            double s = 0;
            long t = 0;
            for (int i = 0; i < count; i++) {
                s += seconds[i];
                t += tokens[i];
            }
            return t / Math.max(1e-9, s);
        }

        double secondsPerStep() {
            double s = 0;
            for (int i = 0; i < count; i++) s += seconds[i];
            return count == 0 ? 0 : s / count;
        }
    }

    private Tensor meanLoss(MicroBatch b) {
        Tensor logits = model.forward(b.inputs(), b.positions(), b.rows(), b.seqLen());
        return Losses.crossEntropy(logits, b.targets(), MicroBatch.IGNORE_INDEX);
    }

    /** Mean loss per trained token over the first {@code eval_batches} validation micro-batches, and a sample. */
    private EvalReport evaluate(long step) {
        int n = Math.min(config.evalBatches(), inputs.data().evalBatchCount());
        double sum = 0;
        long tokens = 0;
        String sample = null;
        model.module().eval();
        try (GradMode.Scope off = GradMode.disable()) {
            for (int i = 0; i < n; i++) {
                MicroBatch b = inputs.data().evalBatch(i);
                Tensor logits = model.forward(b.inputs(), b.positions(), b.rows(), b.seqLen());
                sum += Losses.crossEntropy(logits, b.targets(), MicroBatch.IGNORE_INDEX, Reduction.SUM).item();
                tokens += b.trainedTokens();
            }
            if (inputs.tokenizer() != null && config.samplePrompt() != null && config.sampleTokens() > 0) {
                sample = GreedySampler.sample(model, inputs.tokenizer(), config.samplePrompt(), config.sampleTokens());
            }
        } finally {
            model.module().train();
        }
        double loss = tokens == 0 ? Double.NaN : sum / tokens;
        return new EvalReport(step, loss, Math.exp(loss), sample);
    }

    // ---------------------------------------------------------------- checkpoints

    private Path save(TrainerState state) {
        Path dir = CheckpointWriter.write(config.outputDir(), state.step(), tmp -> {
            backend.writeConfig(modelConfig, tmp.resolve("config.json"));
            backend.writeWeights(model, tmp.resolve("model.safetensors"));
            if (inputs.tokenizerFile() != null) Files.copy(inputs.tokenizerFile(), tmp.resolve("tokenizer.json"));
            Files.writeString(tmp.resolve("generation_config.json"), generationConfig(), StandardCharsets.UTF_8);
            Path ts = Files.createDirectory(tmp.resolve("trainer_state"));
            backend.writeTensors(ts.resolve("optimizer.safetensors"),
                    Map.of("optimizer", "AdamW", "step", Long.toString(state.step())),
                    OptimizerTensors.toTensors(optimizer.state(), buffer));
            state.write(ts.resolve("state.json"));
        });
        listener.onCheckpoint(state.step(), dir);
        for (Path p : CheckpointDirs.prune(config.outputDir(), config.saveTotalLimit())) listener.onNote("removed old " + p.getFileName());
        return dir;
    }

    private String generationConfig() {
        StringBuilder sb = new StringBuilder("{\n");
        if (modelConfig.bosTokenId() >= 0) sb.append("  \"bos_token_id\": ").append(modelConfig.bosTokenId()).append(",\n");
        if (modelConfig.eosTokenId() >= 0) sb.append("  \"eos_token_id\": ").append(modelConfig.eosTokenId()).append(",\n");
        sb.append("  \"max_length\": ").append(modelConfig.maxPositions()).append(",\n");
        sb.append("  \"do_sample\": false\n}\n");
        return sb.toString();
    }

    /** The model being trained (after {@link #run}); for callers that generate from it afterwards. */
    public CausalLm model() {
        return model;
    }
}
