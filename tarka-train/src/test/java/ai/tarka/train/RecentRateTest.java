package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RecentRateTest {
    @Test
    void slowFirstStepsLeaveTheWindow() {
        Trainer.RecentRate r = new Trainer.RecentRate(3);
        r.add(10.0, 100);          // a warm-up step
        r.add(1.0, 100);
        assertThat(r.tokensPerSecond()).isCloseTo(200 / 11.0, within(1e-9));
        r.add(1.0, 100);
        r.add(1.0, 100);
        assertThat(r.tokensPerSecond()).isCloseTo(100.0, within(1e-9));
        assertThat(r.secondsPerStep()).isCloseTo(1.0, within(1e-12));
    }
}
