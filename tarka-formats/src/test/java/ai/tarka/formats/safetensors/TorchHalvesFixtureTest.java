package ai.tarka.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.tarka.formats.tensors.HalfFloats;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A file written by bench/pytorch/safetensors_halves.py: float32 values with PyTorch 1.13's float16 and bfloat16
 * conversions of them. Tarka's rounding must give PyTorch's bits (NaN aside: PyTorch canonicalises NaN payloads).
 */
class TorchHalvesFixtureTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void roundingMatchesPyTorchBitForBit() throws URISyntaxException {
        Path f = Path.of(getClass().getResource("/safetensors/torch-halves.safetensors").toURI());
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.metadata().get("producer")).startsWith("torch ");
            float[] x = sf.readFloats("f32");
            float[] f16 = sf.readFloats("f16"), bf16 = sf.readFloats("bf16");
            assertThat(x).hasSize(1978);
            int nans = 0;
            for (int i = 0; i < x.length; i++) {
                short torchF16 = sf.bytes("f16").get(I16, 2L * i), torchBf16 = sf.bytes("bf16").get(I16, 2L * i);
                if (Float.isNaN(x[i])) {
                    nans++;
                    assertThat(f16[i]).isNaN();
                    assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(x[i]))).isNaN();
                    continue;
                }
                assertThat(HalfFloats.floatToF16(x[i])).as("f16 of 0x%08x", Float.floatToRawIntBits(x[i])).isEqualTo(torchF16);
                assertThat(HalfFloats.floatToBf16(x[i])).as("bf16 of 0x%08x", Float.floatToRawIntBits(x[i])).isEqualTo(torchBf16);
                assertThat(Float.floatToRawIntBits(f16[i])).isEqualTo(Float.floatToRawIntBits(HalfFloats.f16ToFloat(torchF16)));
                assertThat(Float.floatToRawIntBits(bf16[i])).isEqualTo(torchBf16 << 16);
            }
            assertThat(nans).isLessThan(10);
            assertThat(sf.find("matrix").shape()).containsExactly(3, 5);
            float[] m = sf.readFloats("matrix");
            for (int i = 0; i < 15; i++) assertThat(Float.floatToRawIntBits(m[i])).isEqualTo(Float.floatToRawIntBits(x[i]));
        }
    }
}
