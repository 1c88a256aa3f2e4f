package ai.tarka.nn.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.engine.NonFiniteException;
import ai.tarka.nn.ParameterBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A NaN injected into a parameter stops the next training step with a {@link NonFiniteException}
 * naming the step, and the failed step changes no weight.
 */
class NonFiniteGuardTest {
    static final ReverseTask TASK = new ReverseTask(4, 6);

    @Test
    void aNaNWeightOnTheForwardPathStopsTheStepNamingIt() {
        TinyGpt model = new TinyGpt(TinyConfig.gpt(TASK.vocab(), 16, 2, 2, TASK.inputLength(), true), 41, 0.1);
        TinyTrainer trainer = new TinyTrainer(model, TASK, 3, 1e-3, 2, 10);
        trainer.run(2, 1, 4);
        ParameterBuffer.Slot slot = trainer.buffer.slot("h.1.c_fc.weight");
        trainer.buffer.values()[slot.offset() + 5] = Float.NaN;
        float[] before = trainer.buffer.values().clone();

        assertThatThrownBy(() -> trainer.step(1, 4)).isInstanceOf(NonFiniteException.class)
                .hasMessageStartingWith("crossEntropy: non-finite loss NaN").hasMessageEndingWith("at step 3 (micro-batch 1)");
        assertThat(Arrays.equals(trainer.buffer.values(), before)).as("weights untouched").isTrue();
    }

    /**
     * An embedding row no token of the batch uses (the untied Llama's input table; its head has its
     * own weight) never reaches the loss or a gradient: only a check of the weights themselves finds it.
     */
    @Test
    void aNaNWeightOffTheForwardPathStopsTheStepNamingTheParameter() {
        TinyLlama model = new TinyLlama(new TinyConfig(TASK.vocab() + 2, 16, 1, 4, 2, 4, 24, TASK.inputLength(), false), 42, 0.1);
        TinyTrainer trainer = new TinyTrainer(model, TASK, 4, 1e-3, 2, 10);
        trainer.run(2, 1, 4);
        ParameterBuffer.Slot slot = trainer.buffer.slot("embed_tokens.weight");
        int unusedRow = TASK.vocab() + 1;
        trainer.buffer.values()[slot.offset() + unusedRow * 16 + 3] = Float.NaN;
        float[] before = trainer.buffer.values().clone();

        assertThatThrownBy(() -> trainer.step(1, 4)).isInstanceOf(NonFiniteException.class)
                .hasMessage("weight of parameter 'embed_tokens.weight' [9, 16] is NaN at flat index " + (unusedRow * 16 + 3)
                        + " at step 3");
        assertThat(Arrays.equals(trainer.buffer.values(), before)).as("weights untouched").isTrue();
    }
}
