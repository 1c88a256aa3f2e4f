package ai.tarka.serve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.kernels.quant.QuantFormat;
import ai.tarka.serve.TarkaServer;
import org.junit.jupiter.api.Test;

/**
 * {@code --quantize} serves the re-encoded weights: stories260K's llama2.c file with Q8_0 keeps on the heap only the
 * projection whose 172-wide rows do not fill Q8_0 blocks (down), a fraction of the F32 server's packed copy.
 */
class QuantizeOptionTest {

    @Test
    void quantizedServerKeepsOnlyUnconvertedProjectionsOnTheHeap() {
        long f32, q8;
        try (TarkaServer s = TarkaServer.start(Stories260K.options())) {
            f32 = s.model().projectionHeapBytes();
        }
        try (TarkaServer s = TarkaServer.start(Stories260K.options().withQuantize(QuantFormat.Q8_0))) {
            q8 = s.model().projectionHeapBytes();
            assertThat(s.engine().usedBlocks()).isZero();
        }
        int layers = 5, dim = 64, ff = 172;
        assertThat(q8).isEqualTo(4L * layers * dim * ff);
        assertThat(f32).isGreaterThan(3 * q8);
    }
}
