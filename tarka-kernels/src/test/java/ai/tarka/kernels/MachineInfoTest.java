package ai.tarka.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void peakIsCoresTimesClockTimesRate() {
        MachineInfo m = new MachineInfo(2, 2.6, "test", 32, "256-bit", "cpu");
        assertThat(m.peakGflops()).isCloseTo(166.4, within(1e-9));
        assertThat(m.describe()).contains("2 core(s)").contains("2.60 GHz").contains("166.4 GFLOP/s");
    }

    @Test
    void detectsARateFromTheVectorWidthAndHonoursOverrides() {
        MachineInfo m = MachineInfo.detect(3);
        assertThat(m.cores()).isEqualTo(3);
        assertThat(m.flopsPerCycle()).isGreaterThanOrEqualTo(2);
        String oldGhz = System.getProperty("tarka.cpu.ghz"), oldRate = System.getProperty("tarka.cpu.flopsPerCycle");
        try {
            System.setProperty("tarka.cpu.ghz", "1.5");
            System.setProperty("tarka.cpu.flopsPerCycle", "16");
            MachineInfo o = MachineInfo.detect(2);
            assertThat(o.ghz()).isEqualTo(1.5);
            assertThat(o.clockSource()).isEqualTo("-Dtarka.cpu.ghz");
            assertThat(o.peakGflops()).isCloseTo(48.0, within(1e-9));
        } finally {
            restore("tarka.cpu.ghz", oldGhz);
            restore("tarka.cpu.flopsPerCycle", oldRate);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
