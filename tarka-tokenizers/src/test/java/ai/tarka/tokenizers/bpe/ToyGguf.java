package ai.tarka.tokenizers.bpe;

import ai.tarka.formats.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test helper: an in-memory GGUF v3 with metadata only (strings, string arrays, int32 arrays, uint32, bools). */
public final class ToyGguf {
    private final List<Consumer<ByteArrayOutputStream>> entries = new ArrayList<>();

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    private static void str(ByteArrayOutputStream out, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        u64(out, b.length);
        out.writeBytes(b);
    }

    public ToyGguf string(String key, String value) {
        entries.add(out -> { str(out, key); u32(out, 8); str(out, value); });
        return this;
    }

    public ToyGguf strings(String key, String[] values) {
        entries.add(out -> {
            str(out, key); u32(out, 9); u32(out, 8); u64(out, values.length);
            for (String v : values) str(out, v);
        });
        return this;
    }

    public ToyGguf ints(String key, int[] values) {
        entries.add(out -> {
            str(out, key); u32(out, 9); u32(out, 5); u64(out, values.length);
            for (int v : values) u32(out, v);
        });
        return this;
    }

    public ToyGguf uint(String key, int value) {
        entries.add(out -> { str(out, key); u32(out, 4); u32(out, value); });
        return this;
    }

    public ToyGguf bool(String key, boolean value) {
        entries.add(out -> { str(out, key); u32(out, 7); out.write(value ? 1 : 0); });
        return this;
    }

    public GgufFile build(String source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        u32(out, 3);
        u64(out, 0);
        u64(out, entries.size());
        for (Consumer<ByteArrayOutputStream> e : entries) e.accept(out);
        return GgufFile.read(ByteBuffer.wrap(out.toByteArray()), source);
    }
}
