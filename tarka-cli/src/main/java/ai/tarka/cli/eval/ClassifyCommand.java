package ai.tarka.cli.eval;

import ai.tarka.eval.classify.ClassifierTraining;
import ai.tarka.eval.classify.LabelledText;
import ai.tarka.eval.harness.ResultsJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarka eval classify}: trains the encoder classifier and reports held-out accuracy. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Train a transformer encoder classifier from scratch (word vocabulary) on labelled sentences "
                + "(default: the UCI sentiment sentences) and report accuracy on a held-out split.")
public final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "FILE", description = "text<TAB>label lines (default: UCI sentiment, 3000 sentences).")
    List<Path> data;

    @Option(names = "--held-out", defaultValue = "0.2", description = "Held-out fraction (default ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--epochs", defaultValue = "6")
    int epochs;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the result as JSON.")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<LabelledText> all = data == null ? LabelledText.uciSentiment()
                : data.stream().flatMap(p -> LabelledText.read(p).stream()).toList();
        LabelledText.Split split = LabelledText.split(all, heldOut, seed);
        ClassifierTraining.Config d = ClassifierTraining.Config.small();
        ClassifierTraining.Config c = new ClassifierTraining.Config(d.hidden(), d.layers(), d.heads(), d.ffn(), d.maxLen(),
                epochs, d.batch(), d.lr(), d.weightDecay(), d.minCount(), seed);
        ClassifierTraining.Result r = ClassifierTraining.train(split, c, System.err::println);
        System.out.printf(Locale.ROOT, "train %d, held-out %d, vocabulary %d, parameters %d, steps %d%n",
                r.trainExamples(), r.heldOutExamples(), r.vocabulary(), r.parameters(), r.steps());
        System.out.printf(Locale.ROOT, "accuracy: train %.4f, held-out %.4f (majority class %.4f)%n",
                r.trainAccuracy(), r.heldOutAccuracy(), r.majorityBaseline());
        if (output != null) {
            var json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            var root = json.createObjectNode();
            root.set("config", json.valueToTree(c));
            root.set("result", json.valueToTree(r));
            root.put("signature", "model:encoder_classifier|tok:words|held_out:" + heldOut + "|seed:" + seed);
            ResultsJson.writeAtomically(output, json.writeValueAsString(root));
        }
        return 0;
    }
}
