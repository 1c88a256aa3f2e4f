package ai.tarka.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void constantIsConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(3e-4);
        assertThat(s.lr(1)).isEqualTo(3e-4);
        assertThat(s.lr(1_000_000)).isEqualTo(3e-4);
    }

    @Test
    void warmupCosineHitsItsKeyPoints() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(1e-3, 1e-4, 100, 1100);
        assertThat(s.lr(0)).isZero();
        assertThat(s.lr(1)).isCloseTo(1e-5, offset(1e-18));
        assertThat(s.lr(50)).isCloseTo(5e-4, offset(1e-18));
        assertThat(s.lr(100)).isEqualTo(1e-3);
        // first decay step is just below the peak
        assertThat(s.lr(101)).isLessThan(1e-3).isGreaterThan(0.99999e-3);
        // halfway through the decay the cosine sits at the midpoint of peak and min
        assertThat(s.lr(600)).isCloseTo(5.5e-4, offset(1e-15));
        assertThat(s.lr(1100)).isEqualTo(1e-4);
        assertThat(s.lr(5000)).isEqualTo(1e-4);
        for (long t = 101; t < 1100; t++) assertThat(s.lr(t + 1)).isLessThanOrEqualTo(s.lr(t));
    }

    @Test
    void warmupLinearHitsItsKeyPoints() {
        LearningRateSchedule s = LearningRateSchedule.warmupLinear(2e-3, 0, 10, 110);
        assertThat(s.lr(5)).isCloseTo(1e-3, offset(1e-18));
        assertThat(s.lr(10)).isEqualTo(2e-3);
        assertThat(s.lr(60)).isCloseTo(1e-3, offset(1e-18));
        assertThat(s.lr(85)).isCloseTo(0.5e-3, offset(1e-18));
        assertThat(s.lr(110)).isZero();
        assertThat(s.lr(200)).isZero();
    }

    @Test
    void zeroWarmupStartsAtThePeakAndEqualTotalStaysAtTheMinimum() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(1.0, 0.1, 0, 10);
        assertThat(s.lr(0)).isZero();
        assertThat(s.lr(1)).isCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.1)), offset(1e-15));
        LearningRateSchedule flat = LearningRateSchedule.warmupLinear(1.0, 0.2, 5, 5);
        assertThat(flat.lr(5)).isEqualTo(1.0);
        assertThat(flat.lr(6)).isEqualTo(0.2);
    }

    @Test
    void rejectsInconsistentArgumentsNamingTheSchedule() {
        assertThatThrownBy(() -> LearningRateSchedule.warmupCosine(1e-3, 1e-2, 0, 10))
                .hasMessageContaining("WarmupCosineSchedule").hasMessageContaining("minLr");
        assertThatThrownBy(() -> LearningRateSchedule.warmupLinear(1e-3, 0, 10, 5))
                .hasMessageContaining("WarmupLinearSchedule").hasMessageContaining("totalSteps (5)");
        assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN)).hasMessageContaining("ConstantSchedule");
    }
}
