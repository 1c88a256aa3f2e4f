package ai.tarka.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file assembled byte by byte from the format description, independent of {@link SafetensorsWriter}. */
class SafetensorsDTypeReadTest {
    @TempDir
    Path dir;

    @Test
    void handBuiltFileWithEveryFloatTypeAtUnalignedOffsets() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[6,22]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[22,26]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[26,30]},"
                + "\"i\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[30,31]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8); // deliberately not padded: readers must not require it
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 31).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        b.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001); // 1, -2, 2^-24
        b.putDouble(0.1).putDouble(-1e300);
        b.putShort((short) 0x3fc0).putShort((short) 0xff80); // 1.5, -inf
        b.putFloat(7.25f);
        b.put((byte) 200);
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, b.array());
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThat(sf.metadata()).containsEntry("format", "pt");
            assertThat(sf.entries()).extracting(e -> e.name()).containsExactly("h", "d", "b", "f", "i");
            assertThat(sf.readFloats("h")).containsExactly(1f, -2f, (float) Math.pow(2, -24));
            assertThat(sf.readFloats("d")).containsExactly(0.1f, Float.NEGATIVE_INFINITY);
            assertThat(sf.readFloats("b")).containsExactly(1.5f, Float.NEGATIVE_INFINITY);
            assertThat(sf.readFloats("f")).containsExactly(7.25f);
            assertThat(sf.find("f").shape()).isEmpty();
            assertThat(sf.bytes("i").get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xff).isEqualTo(200);
        }
    }
}
