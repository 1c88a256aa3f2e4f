package ai.tarka.eval.classify;

import ai.tarka.engine.GradMode;
import ai.tarka.engine.RopeScaling;
import ai.tarka.engine.Tensor;
import ai.tarka.models.EncoderClassifier;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import ai.tarka.nn.ParameterBuffer;
import ai.tarka.nn.optim.AdamW;
import ai.tarka.nn.optim.ParamGroup;
import ai.tarka.nn.optim.WarmupCosineSchedule;
import ai.tarka.nn.train.TrainingStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains tarka-models' {@link EncoderClassifier} from scratch on labelled sentences with a word vocabulary, and
 * reports accuracy on a held-out split. Batches are padded to their longest row (the encoder masks padding).
 */
public final class ClassifierTraining {
    private ClassifierTraining() {}

    public record Config(int hidden, int layers, int heads, int ffn, int maxLen, int epochs, int batch, double lr,
                         double weightDecay, int minCount, long seed) {

        /** A small encoder that trains in well under a minute on two cores. */
        public static Config small() {
            return new Config(64, 2, 4, 128, 48, 6, 32, 2e-3, 0.05, 2, 42);
        }

        /** For tests: tiny and quick. */
        public static Config tiny() {
            return new Config(24, 1, 3, 40, 24, 3, 32, 3e-3, 0.0, 2, 7);
        }
    }

    public record Result(int trainExamples, int heldOutExamples, int vocabulary, long parameters, int steps,
                         double firstLoss, double lastLoss, double trainAccuracy, double heldOutAccuracy,
                         double majorityBaseline) {}

    public static Result train(LabelledText.Split split, Config c, Consumer<String> log) {
        WordVocabulary vocab = WordVocabulary.build(split.train().stream().map(LabelledText::text).toList(), c.minCount());
        int labels = 1 + split.train().stream().mapToInt(LabelledText::label).max().orElse(1);
        ModelConfig config = new ModelConfig(ModelArchitecture.ENCODER, vocab.size(), c.hidden(), c.layers(), c.heads(),
                c.heads(), c.ffn(), c.maxLen(), 1e-5, 0, RopeScaling.none(), false, true, 0, Math.max(labels, 2), -1, -1);
        EncoderClassifier model = EncoderClassifier.create(config, c.seed());
        ParameterBuffer buffer = ParameterBuffer.flatten(model);
        int stepsPerEpoch = (split.train().size() + c.batch() - 1) / c.batch();
        int total = stepsPerEpoch * c.epochs();
        AdamW opt = AdamW.builder(buffer).lr(c.lr()).weightDecay(c.weightDecay()).group(ParamGroup.noDecayBelowRank2())
                .schedule(new WarmupCosineSchedule(c.lr(), c.lr() / 10, Math.max(1, total / 20), total)).build();
        TrainingStep step = new TrainingStep(opt, 1.0);
        Random rng = new Random(c.seed());
        List<LabelledText> order = new ArrayList<>(split.train());
        double first = Double.NaN, last = Double.NaN;
        int steps = 0;
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            Collections.shuffle(order, rng);
            double epochLoss = 0;
            for (int start = 0; start < order.size(); start += c.batch()) {
                Padded b = Padded.of(order.subList(start, Math.min(start + c.batch(), order.size())), vocab, c.maxLen());
                Tensor loss = model.loss(b.ids(), b.lengths(), b.rows(), b.seqLen(), b.labels());
                double l = loss.item();
                if (Double.isNaN(first)) first = l;
                last = l;
                epochLoss += l;
                step.microBatch(loss, b.rows());
                step.finish();
                steps++;
            }
            if (log != null) log.accept(String.format(java.util.Locale.ROOT, "epoch %d: mean loss %.4f", epoch + 1, epochLoss / stepsPerEpoch));
        }
        long params = 0;
        for (var p : model.namedParameters().values()) params += p.numel();
        int majority = 0;
        int[] counts = new int[Math.max(labels, 2)];
        for (LabelledText t : split.heldOut()) counts[t.label()]++;
        for (int k : counts) majority = Math.max(majority, k);
        return new Result(split.train().size(), split.heldOut().size(), vocab.size(), params, steps, first, last,
                accuracy(model, split.train(), vocab, c), accuracy(model, split.heldOut(), vocab, c),
                split.heldOut().isEmpty() ? 0 : (double) majority / split.heldOut().size());
    }

    static double accuracy(EncoderClassifier model, List<LabelledText> data, WordVocabulary vocab, Config c) {
        if (data.isEmpty()) return 0;
        int right = 0;
        int labels = model.config().numLabels();
        try (var g = GradMode.disable()) {
            for (int start = 0; start < data.size(); start += 64) {
                Padded b = Padded.of(data.subList(start, Math.min(start + 64, data.size())), vocab, c.maxLen());
                float[] logits = model.forward(b.ids(), b.lengths(), b.rows(), b.seqLen()).toArray();
                for (int r = 0; r < b.rows(); r++) {
                    int best = 0;
                    for (int k = 1; k < labels; k++) if (logits[r * labels + k] > logits[r * labels + best]) best = k;
                    if (best == b.labels()[r]) right++;
                }
            }
        }
        return (double) right / data.size();
    }

    /** A batch right-padded to its longest row. */
    record Padded(int[] ids, int[] lengths, int[] labels, int rows, int seqLen) {
        static Padded of(List<LabelledText> rows, WordVocabulary vocab, int maxLen) {
            int[][] enc = new int[rows.size()][];
            int seqLen = 1;
            for (int i = 0; i < enc.length; i++) {
                enc[i] = vocab.encode(rows.get(i).text(), maxLen);
                seqLen = Math.max(seqLen, enc[i].length);
            }
            int[] ids = new int[rows.size() * seqLen], lengths = new int[rows.size()], labels = new int[rows.size()];
            for (int i = 0; i < enc.length; i++) {
                System.arraycopy(enc[i], 0, ids, i * seqLen, enc[i].length);
                lengths[i] = enc[i].length;
                labels[i] = rows.get(i).label();
            }
            return new Padded(ids, lengths, labels, rows.size(), seqLen);
        }
    }
}
