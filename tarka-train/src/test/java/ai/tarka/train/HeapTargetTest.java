package ai.tarka.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.engine.RopeScaling;
import ai.tarka.models.ModelArchitecture;
import ai.tarka.models.ModelConfig;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The activation estimate behind the heap target grows as it should with the step and the model. */
class HeapTargetTest {

    static Stream<Arguments> configs() {
        Random rng = new Random(3);
        return Stream.generate(() -> {
            int heads = 1 + rng.nextInt(6);
            return Arguments.of(new ModelConfig(ModelArchitecture.LLAMA, 17 + rng.nextInt(5000), heads * (3 + rng.nextInt(40)),
                    1 + rng.nextInt(9), heads, heads, 5 + rng.nextInt(700), 64, 1e-5, 10000, RopeScaling.none(), false, false,
                    0, 0, 1, 2), 1 + rng.nextInt(900));
        }).limit(5);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void estimateCoversTheLogitsAndGrowsWithTokensAndLayers(ModelConfig c, int tokens) {
        long ckpt = HeapTarget.activationBytes(c, tokens, true), full = HeapTarget.activationBytes(c, tokens, false);
        assertThat(ckpt).isGreaterThanOrEqualTo(3L * 4 * tokens * c.vocabSize());
        assertThat(HeapTarget.activationBytes(c, 2L * tokens, true)).isEqualTo(2 * ckpt);
        if (c.numLayers() > 1) assertThat(full).isGreaterThan(ckpt);
        assertThat(HeapTarget.optimiserBytes(1000)).isEqualTo(12_000);
    }

    @Test
    void theTargetLeavesAtLeastTheRequestedHeadroomAboveTheLiveHeap() throws Exception {
        var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        String before = bean.getVMOption("SoftMaxHeapSize").getValue();
        try {
            long max = Runtime.getRuntime().maxMemory(), headroom = 256L << 20;
            long scaled = HeapTarget.fit(0);
            long floored = HeapTarget.fit(0, headroom);
            assertThat(scaled).as("HotSpot lets SoftMaxHeapSize be set at run time").isPositive();
            // the test JVM's live heap is tens of MB, so 1.3 × 1.25 × live stays far below live + 256 MiB
            assertThat(floored).isGreaterThanOrEqualTo(Math.min(max, headroom)).isGreaterThan(scaled);
            assertThat(Long.parseLong(bean.getVMOption("SoftMaxHeapSize").getValue())).isEqualTo(floored);
        } finally {
            bean.setVMOption("SoftMaxHeapSize", before);
        }
    }
}
