package ai.tarka.formats.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Little-endian reads from a buffer that fail with the source name and offset instead of BufferUnderflow. */
final class GgufCursor {
    private final ByteBuffer buf;
    private final String source;

    GgufCursor(ByteBuffer buf, String source) {
        this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    int position() {
        return buf.position();
    }

    String source() {
        return source;
    }

    GgufFormatException error(long offset, String problem) {
        return new GgufFormatException(source, offset, problem);
    }

    private void need(long n, String what) {
        if (n > buf.remaining())
            throw error(buf.position(), "truncated: " + what + " needs " + n + " bytes, only " + buf.remaining() + " left");
    }

    int u8(String what) {
        need(1, what);
        return buf.get() & 0xff;
    }

    int i16(String what) {
        need(2, what);
        return buf.getShort();
    }

    int i32(String what) {
        need(4, what);
        return buf.getInt();
    }

    long u32(String what) {
        return i32(what) & 0xffffffffL;
    }

    long i64(String what) {
        need(8, what);
        return buf.getLong();
    }

    float f32(String what) {
        need(4, what);
        return buf.getFloat();
    }

    double f64(String what) {
        need(8, what);
        return buf.getDouble();
    }

    /** A count or length (uint64) that must fit the remaining bytes at {@code minBytesEach} each. */
    long count(String what, long minBytesEach) {
        int at = buf.position();
        long n = i64(what);
        if (n < 0 || (minBytesEach > 0 && n > buf.remaining() / minBytesEach))
            throw error(at, "truncated or corrupt: " + what + " is " + Long.toUnsignedString(n) + ", only "
                    + buf.remaining() + " bytes left");
        return n;
    }

    String string(String what) {
        int len = (int) count(what + " length", 1);
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
