package ai.tarka.train;

import ai.tarka.train.config.TrainConfig;
import ai.tarka.train.config.TrainConfigReader;
import java.nio.file.Path;

/** A tiny training run on a synthetic text, shared by the trainer tests and the child JVM of the kill test. */
final class TinyRuns {
    private TinyRuns() {}

    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .,\n";
    static final String TEXT;

    static {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat, ", "and ", "then ", "slept.\n", "dog ", "ran "};
        while (sb.length() < 6000) sb.append(words[r.nextInt(words.length)]);
        TEXT = sb.toString();
    }

    static TrainConfig config(Path out, int maxSteps, int saveSteps) {
        return config(out, maxSteps, saveSteps, 2);
    }

    static TrainConfig config(Path out, int maxSteps, int saveSteps, int accumulation) {
        String yaml = """
                model:
                  architecture: gpt2
                  hidden_size: 12
                  num_hidden_layers: 1
                  num_attention_heads: 2
                data: synthetic
                sequence_len: 9
                micro_batch_size: 3
                gradient_accumulation_steps: %d
                learning_rate: 3e-2
                warmup_steps: 3
                max_steps: %d
                eval_steps: 5
                eval_batches: 2
                save_steps: %d
                logging_steps: 1
                weight_decay: 0.1
                max_grad_norm: 0.5
                seed: 11
                output_dir: %s
                sample_prompt: "the "
                sample_tokens: 6
                """.formatted(accumulation, maxSteps, saveSteps, out.toString());
        return TrainConfigReader.parse(yaml, Path.of("tiny.yaml"));
    }

    /** The tiny run continued from the weights of {@code base} (a checkpoint directory), as a fresh run. */
    static TrainConfig fromBase(Path out, Path base, int maxSteps) {
        String yaml = """
                base_model: %s
                data: synthetic
                sequence_len: 9
                micro_batch_size: 3
                learning_rate: 1e-2
                max_steps: %d
                eval_batches: 1
                seed: 11
                output_dir: %s
                """.formatted(base, maxSteps, out);
        return TrainConfigReader.parse(yaml, Path.of("base.yaml"));
    }

    static TrainingInputs inputs(TrainConfig c) {
        CharTokenizer tok = new CharTokenizer(ALPHABET);
        WindowData data = new WindowData(tok.encode(TEXT), 0.1, c.seed(), c.microBatchSize(), c.sequenceLen());
        return new TrainingInputs(data, tok, null, ALPHABET.length());
    }
}
