package ai.tarka.finetune;

import ai.tarka.finetune.config.AdapterKind;
import ai.tarka.finetune.config.FinetuneConfig;
import ai.tarka.finetune.config.FinetuneConfigException;
import ai.tarka.finetune.data.DatasetType;
import ai.tarka.finetune.data.SampleEncoder;
import ai.tarka.finetune.lora.LoraModel;
import ai.tarka.finetune.lora.PeftAdapters;
import ai.tarka.finetune.qlora.QLora;
import ai.tarka.models.CausalLm;
import ai.tarka.models.ModelWeights;
import ai.tarka.models.HfModelConfig;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import ai.tarka.tokenizers.chat.ChatTemplate;
import ai.tarka.train.HeapFittingListener;
import ai.tarka.train.HeapTarget;
import ai.tarka.train.Trainer;
import ai.tarka.train.TrainingInputs;
import ai.tarka.train.TrainingListener;
import ai.tarka.train.TrainingListener.TrainSummary;
import ai.tarka.train.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One fine-tuning run: {@link #prepare} does everything that can fail before training (tokenizer, chat template,
 * every example encoded and checked, base model loaded, adapters placed), {@link #run} trains with the pretraining
 * {@link Trainer} (same checkpoints, metrics and exact resume) and writes the result to {@code output_dir}: the PEFT
 * adapter for LoRA/QLoRA, a Hugging Face checkpoint for full fine-tuning.
 */
public final class Finetune {
    private final FinetuneConfig config;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final FinetuneData data;
    private final CausalLm model;
    private final int maxSteps;
    private final List<String> warnings;

    private Finetune(FinetuneConfig config, TextTokenizer tokenizer, ChatTemplate template, FinetuneData data, CausalLm model,
                     int maxSteps, List<String> warnings) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.template = template;
        this.data = data;
        this.model = model;
        this.maxSteps = maxSteps;
        this.warnings = warnings;
    }

    /** Loads and checks everything; warnings go to {@code warn} as they arise. */
    public static Finetune prepare(FinetuneConfig config, Consumer<String> warn) {
        List<String> warnings = new ArrayList<>();
        Consumer<String> sink = w -> {
            warnings.add(w);
            if (warn != null) warn.accept(w);
        };
        CausalLm base = BaseModels.load(config.baseModel(), config.sequenceLen());
        if (config.sequenceLen() > base.config().maxPositions()) {
            throw new FinetuneConfigException(config.describe() + ": key 'sequence_len' (" + config.sequenceLen()
                    + ") exceeds the base model's max_position_embeddings (" + base.config().maxPositions() + ")");
        }
        Path tokPath = config.tokenizer() != null ? config.tokenizer() : config.baseModel();
        TextTokenizer tokenizer;
        try {
            tokenizer = TokenizerLoader.load(tokPath);
        } catch (RuntimeException e) {
            throw new FinetuneConfigException(config.describe() + ": cannot load the tokenizer from " + tokPath
                    + (config.tokenizer() == null ? " (set 'tokenizer')" : "") + ": " + e.getMessage(), e);
        }
        int bos = tokenizer.boundaryTokens().prefix().length > 0 ? tokenizer.boundaryTokens().prefix()[0] : -1;
        int eos = TokenizerLoader.eosId(tokenizer);
        if (eos < 0) eos = base.config().eosTokenId();
        ChatTemplate template = chatTemplate(config, tokPath, tokenizer, bos, eos);
        FinetuneData data = FinetuneData.prepare(config, tokenizer, template, bos, eos, base.config().vocabSize(), sink);
        CausalLm model = switch (config.adapter()) {
            case FULL -> {
                if (!config.frozenModules().isEmpty()) {
                    try {
                        base.module().freeze(config.frozenModules().toArray(String[]::new));
                    } catch (IllegalArgumentException e) {
                        throw new FinetuneConfigException(config.describe() + ": key 'frozen_modules': " + e.getMessage(), e);
                    }
                }
                yield base;
            }
            case LORA -> wrap(() -> LoraModel.wrap(base, config.lora(), sink), config);
            case QLORA -> wrap(() -> QLora.wrap(base, config.lora(), sink), config);
        };
        if (config.gradientCheckpointing()) model.gradientCheckpointing(true);
        int steps = config.maxSteps() > 0 ? config.maxSteps()
                : data.batches().stepsFor(config.numEpochs(), config.gradientAccumulationSteps());
        return new Finetune(config, tokenizer, template, data, model, steps, warnings);
    }

    private static CausalLm wrap(java.util.function.Supplier<LoraModel> build, FinetuneConfig config) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new FinetuneConfigException(config.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The tokenizer's own template when it has one, else the one the config names, else alpaca or chatml. */
    static ChatTemplate chatTemplate(FinetuneConfig config, Path tokPath, TextTokenizer tokenizer, int bos, int eos) {
        boolean addsBos = bos >= 0;
        java.util.Map<String, String> specials = new java.util.HashMap<>();
        String bosText = bos >= 0 ? SampleEncoder.tokenText(tokenizer, bos) : null;
        String eosText = eos >= 0 ? SampleEncoder.tokenText(tokenizer, eos) : null;
        if (bosText != null) specials.put("bos_token", bosText);
        if (eosText != null) specials.put("eos_token", eosText);
        if (config.chatTemplate() != null) return ChatTemplate.builtin(config.chatTemplate(), specials, addsBos);
        Path dir = Files.isDirectory(tokPath) ? tokPath : tokPath.toAbsolutePath().getParent();
        Path tc = dir == null ? null : dir.resolve("tokenizer_config.json");
        if (tc != null && Files.isRegularFile(tc)) {
            try {
                return ChatTemplate.fromTokenizerConfig(tc);
            } catch (RuntimeException noTemplate) {
                // no chat_template in it: fall through to a built-in one
            }
        }
        boolean alpaca = config.datasets().stream().allMatch(d -> d.type() == DatasetType.ALPACA);
        return ChatTemplate.builtin(alpaca ? "alpaca" : "chatml", specials, addsBos);
    }

    /** The run as the pretraining trainer sees it. */
    TrainConfig trainConfig() {
        return new TrainConfig(config.source(), config.baseModel(), null, config.tokenizer(), config.datasets().get(0).path(),
                config.sequenceLen(), config.microBatchSize(), config.gradientAccumulationSteps(), config.learningRate(),
                config.lrScheduler(), 0.1, Math.min(config.warmupSteps(), maxSteps), maxSteps, config.evalSteps(), 1 << 20,
                config.saveSteps(), config.saveTotalLimit(), config.loggingSteps(), config.weightDecay(), 0.9, 0.999, 1e-8,
                config.maxGradNorm(), config.seed(), config.outputDir(), 0, null, 0);
    }

    /** Trains (or, with {@code resume}, continues the latest checkpoint) and writes the result into output_dir. */
    public TrainSummary run(boolean resume, TrainingListener listener) {
        return run(resume, listener, null);
    }

    /** As {@link #run(boolean, TrainingListener)}, running {@code evalTasks} (may be null) at every evaluation. */
    public TrainSummary run(boolean resume, TrainingListener listener, ai.tarka.train.EvalTasks evalTasks) {
        FinetuneBackend backend = new FinetuneBackend(model, config.outputDir(), config.baseModel().toString());
        TrainingInputs inputs = new TrainingInputs(data.batches(), tokenizer, null, model.config().vocabSize());
        long activations = HeapTarget.activationBytes(model.config(), (long) config.microBatchSize() * config.sequenceLen(),
                config.gradientCheckpointing());
        Trainer trainer = new Trainer(trainConfig(), backend, inputs, new HeapFittingListener(listener, plan -> activations));
        if (evalTasks != null) trainer.withEvalTasks(evalTasks);
        TrainSummary summary = trainer.run(resume);
        writeResult();
        return summary;
    }

    private void writeResult() {
        Path out = config.outputDir();
        if (model instanceof LoraModel lora) {
            PeftAdapters.save(lora, out, config.baseModel().toString());
        } else {
            try {
                Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            HfModelConfig.write(model.config(), out.resolve("config.json"));
            ModelWeights.save(model, out.resolve("model.safetensors"));
        }
    }

    public FinetuneConfig config() {
        return config;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    public FinetuneData data() {
        return data;
    }

    public CausalLm model() {
        return model;
    }

    public int maxSteps() {
        return maxSteps;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public AdapterKind adapter() {
        return config.adapter();
    }
}
