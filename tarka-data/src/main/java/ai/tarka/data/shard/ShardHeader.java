package ai.tarka.data.shard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The fixed 64-byte header of a token shard (all integers little-endian).
 *
 * <pre>
 * offset size field
 *      0    8 magic "TARKATOK" (ASCII)
 *      8    4 version (1)
 *     12    4 token width in bytes: 2 (uint16) or 4 (uint32)
 *     16    4 vocabulary size (every token id is below it)
 *     20    4 header size in bytes (64); tokens start here
 *     24    8 token count
 *     32    8 document count
 *     40    8 byte offset of the document table (= 64 + tokenCount * width, rounded up to 8)
 *     48   12 reserved, zero
 *     60    4 CRC-32 of bytes 0..59
 * </pre>
 *
 * After the tokens (and zero padding up to a multiple of 8 bytes) comes the document table: one
 * uint64 per document, the index of its first token, strictly increasing, the first one 0. The file
 * ends exactly after the table, so a truncated or padded file is detected from its size alone.
 */
public record ShardHeader(int version, int tokenWidth, int vocabSize, long tokenCount, long documentCount) {
    public static final int SIZE = 64;
    public static final int VERSION = 1;
    static final byte[] MAGIC = "TARKATOK".getBytes(StandardCharsets.US_ASCII);

    /** Width in bytes for a vocabulary: uint16 when every id fits (vocab ≤ 65536), else uint32. */
    public static int widthFor(int vocabSize) {
        if (vocabSize <= 0) throw new IllegalArgumentException("token shard: vocabulary size must be positive, got " + vocabSize);
        return vocabSize <= 65536 ? 2 : 4;
    }

    /** Byte offset of the document table. */
    public long documentTableOffset() {
        long end = SIZE + tokenCount * tokenWidth;
        return (end + 7) & ~7L;
    }

    /** The exact size the file must have. */
    public long fileSize() {
        return documentTableOffset() + documentCount * 8;
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(version).putInt(tokenWidth).putInt(vocabSize).putInt(SIZE)
                .putLong(tokenCount).putLong(documentCount).putLong(documentTableOffset());
        b.position(60);
        b.putInt(crc(b.array()));
        return b.flip();
    }

    static int crc(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 0, 60);
        return (int) crc.getValue();
    }

    /** Parses and checks a header against the file's actual size; errors name the file and the field. */
    static ShardHeader decode(Path file, byte[] bytes, long actualFileSize) {
        if (bytes.length < SIZE || actualFileSize < SIZE) {
            throw new ShardFormatException(file, "file is " + actualFileSize + " bytes, shorter than the " + SIZE + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ShardFormatException(file, "bad magic at byte 0 (not a Tarka token shard; expected \"TARKATOK\")");
            }
        }
        int storedCrc = b.getInt(60);
        int version = b.getInt(8);
        if (version != VERSION) {
            throw new ShardFormatException(file, "unsupported version " + version + " at byte 8 (this reader knows version " + VERSION + ")");
        }
        if (storedCrc != crc(bytes)) {
            throw new ShardFormatException(file, "header checksum mismatch (CRC-32 at byte 60): the header is corrupt");
        }
        int width = b.getInt(12);
        int vocab = b.getInt(16);
        int headerSize = b.getInt(20);
        long tokens = b.getLong(24);
        long docs = b.getLong(32);
        long tableOffset = b.getLong(40);
        if (width != 2 && width != 4) throw new ShardFormatException(file, "token width " + width + " at byte 12 (expected 2 or 4)");
        if (vocab <= 0) throw new ShardFormatException(file, "vocabulary size " + vocab + " at byte 16 (expected > 0)");
        if (width == 2 && vocab > 65536) {
            throw new ShardFormatException(file, "vocabulary size " + vocab + " does not fit 2-byte tokens");
        }
        if (headerSize != SIZE) throw new ShardFormatException(file, "header size " + headerSize + " at byte 20 (expected " + SIZE + ")");
        if (tokens < 0 || docs < 0 || docs > tokens) {
            throw new ShardFormatException(file, "token count " + tokens + " / document count " + docs + " at bytes 24/32 are inconsistent");
        }
        ShardHeader h = new ShardHeader(version, width, vocab, tokens, docs);
        if (tableOffset != h.documentTableOffset()) {
            throw new ShardFormatException(file, "document table offset " + tableOffset + " at byte 40 (expected " + h.documentTableOffset() + ")");
        }
        if (actualFileSize != h.fileSize()) {
            throw new ShardFormatException(file, "file is " + actualFileSize + " bytes but its header (" + tokens + " tokens of "
                    + width + " bytes, " + docs + " documents) needs " + h.fileSize()
                    + (actualFileSize < h.fileSize() ? " (truncated)" : " (trailing bytes)"));
        }
        return h;
    }
}
