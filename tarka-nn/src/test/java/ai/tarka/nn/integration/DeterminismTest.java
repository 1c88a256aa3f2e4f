package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two training runs with the same seeds (and the same thread count: one JVM, one compute pool) end
 * with bit-identical parameters, losses and gradient norms. The first run also warms the JIT, so a
 * kernel whose result changes once compiled shows here (reduceLanes did). The models are wide
 * enough (C = 64, 16 rows of 10 tokens) that the projections' GEMMs and the attention kernels split
 * their work over the pool's threads, and each step accumulates two micro-batches.
 */
class DeterminismTest {
    static final ReverseTask TASK = new ReverseTask(5, 8);

    static Stream<String> models() {
        return Stream.of("gpt", "llama");
    }

    static TinyLm model(String kind) {
        int t = TASK.inputLength();
        return kind.equals("gpt")
                ? new TinyGpt(TinyConfig.gpt(TASK.vocab(), 64, 2, 4, t, true), 11, 0.1)
                : new TinyLlama(new TinyConfig(TASK.vocab(), 64, 2, 4, 2, 16, 96, t, false), 12, 0.1);
    }

    record Run(double[] losses, double[] norms, float[] values) {}

    static Run train(String kind) {
        TinyTrainer trainer = new TinyTrainer(model(kind), TASK, 5, 3e-3, 3, 12);
        double[] losses = new double[12], norms = new double[12];
        for (int i = 0; i < 12; i++) {
            var s = trainer.step(2, 16);
            losses[i] = s.loss();
            norms[i] = s.gradNorm();
        }
        return new Run(losses, norms, trainer.buffer.values().clone());
    }

    @ParameterizedTest
    @MethodSource("models")
    void sameSeedsGiveBitIdenticalTraining(String kind) {
        Run a = train(kind), b = train(kind);
        assertThat(b.losses()).containsExactly(a.losses());
        assertThat(b.norms()).containsExactly(a.norms());
        assertThat(b.values()).containsExactly(a.values());
        // the runs did train: the loss moved
        assertThat(a.losses()[11]).isLessThan(a.losses()[0] - 0.1);
    }
}
