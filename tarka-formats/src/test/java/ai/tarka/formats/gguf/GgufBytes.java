package ai.tarka.formats.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes GGUF bytes by hand for tests (little-endian). */
final class GgufBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    GgufBytes raw(ByteBuffer b) {
        out.write(b.array(), 0, b.position());
        return this;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    GgufBytes u8(int v) {
        out.write(v);
        return this;
    }

    GgufBytes i16(int v) {
        return raw(le(2).putShort((short) v));
    }

    GgufBytes i32(int v) {
        return raw(le(4).putInt(v));
    }

    GgufBytes i64(long v) {
        return raw(le(8).putLong(v));
    }

    GgufBytes f32(float v) {
        return raw(le(4).putFloat(v));
    }

    GgufBytes f64(double v) {
        return raw(le(8).putDouble(v));
    }

    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i64(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    GgufBytes header(int version, long tensors, long kvs) {
        return i32(GgufFile.MAGIC).i32(version).i64(tensors).i64(kvs);
    }

    GgufBytes key(String k, GgufValueType t) {
        return str(k).i32(t.id());
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }
}
