package ai.tarka.data.shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A token shard opened read-only and memory-mapped (format in {@link ShardHeader}). Reads are safe
 * from any number of threads; {@link #close()} unmaps the file, after which every read fails.
 */
public final class TokenShard implements AutoCloseable {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final ShardHeader header;
    private final Arena arena;
    private final MemorySegment segment;
    private final long tableOffset;

    private TokenShard(Path file, ShardHeader header, Arena arena, MemorySegment segment) {
        this.file = file;
        this.header = header;
        this.arena = arena;
        this.segment = segment;
        this.tableOffset = header.documentTableOffset();
    }

    /** Opens and checks a shard: header fields, checksum, exact file size, and the document table. */
    public static TokenShard open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            byte[] head = new byte[(int) Math.min(size, ShardHeader.SIZE)];
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, head, 0, head.length);
            ShardHeader header = ShardHeader.decode(file, head, size);
            TokenShard shard = new TokenShard(file, header, arena, seg);
            shard.checkDocumentTable();
            return shard;
        } catch (NoSuchFileException e) {
            arena.close();
            throw new ShardFormatException(file, "file does not exist", e);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("token shard " + file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private void checkDocumentTable() {
        long prev = -1;
        for (long d = 0; d < header.documentCount(); d++) {
            long start = documentStart(d);
            if (d == 0 ? start != 0 : start <= prev || start >= header.tokenCount()) {
                throw new ShardFormatException(file, "document table entry " + d + " (byte " + (tableOffset + 8 * d) + ") is "
                        + start + "; starts must begin at 0, increase strictly and stay below the token count " + header.tokenCount());
            }
            prev = start;
        }
        if (header.tokenCount() > 0 && header.documentCount() == 0) {
            throw new ShardFormatException(file, header.tokenCount() + " tokens but no documents in the document table");
        }
    }

    public Path file() {
        return file;
    }

    public ShardHeader header() {
        return header;
    }

    public long tokenCount() {
        return header.tokenCount();
    }

    public int vocabSize() {
        return header.vocabSize();
    }

    public int tokenWidth() {
        return header.tokenWidth();
    }

    public long documentCount() {
        return header.documentCount();
    }

    /** Index of the first token of document {@code d}. */
    public long documentStart(long d) {
        if (d < 0 || d >= header.documentCount()) {
            throw new IndexOutOfBoundsException("token shard " + file + ": document " + d + " of " + header.documentCount());
        }
        return segment.get(U64, tableOffset + 8 * d);
    }

    /** One past the last token of document {@code d}. */
    public long documentEnd(long d) {
        return d + 1 < header.documentCount() ? documentStart(d + 1) : header.tokenCount();
    }

    /** Token {@code i} (uint16 tokens widened without sign). */
    public int token(long i) {
        if (i < 0 || i >= header.tokenCount()) {
            throw new IndexOutOfBoundsException("token shard " + file + ": token " + i + " of " + header.tokenCount());
        }
        return header.tokenWidth() == 2
                ? Short.toUnsignedInt(segment.get(U16, ShardHeader.SIZE + 2 * i))
                : segment.get(U32, ShardHeader.SIZE + 4 * i);
    }

    /** Copies tokens {@code [start, start+len)} into {@code dst[off..]}. */
    public void read(long start, int[] dst, int off, int len) {
        if (start < 0 || len < 0 || start + len > header.tokenCount()) {
            throw new IndexOutOfBoundsException("token shard " + file + ": tokens [" + start + ", " + (start + len)
                    + ") outside [0, " + header.tokenCount() + ")");
        }
        if (header.tokenWidth() == 2) {
            long base = ShardHeader.SIZE + 2 * start;
            for (int k = 0; k < len; k++) dst[off + k] = Short.toUnsignedInt(segment.get(U16, base + 2L * k));
        } else {
            MemorySegment.copy(segment, U32, ShardHeader.SIZE + 4 * start, dst, off, len);
        }
    }

    /** Tokens {@code [start, start+len)} as a new array. */
    public int[] read(long start, int len) {
        int[] out = new int[len];
        read(start, out, 0, len);
        return out;
    }

    /**
     * Scans every token and throws, naming the file and token index, at the first id outside the
     * vocabulary. Not done on open because it reads the whole file.
     */
    public void validateTokens() {
        long n = header.tokenCount();
        int vocab = header.vocabSize();
        for (long i = 0; i < n; i++) {
            int t = token(i);
            if (t < 0 || t >= vocab) {
                throw new ShardFormatException(file, "token " + i + " (byte " + (ShardHeader.SIZE + i * header.tokenWidth())
                        + ") is " + Integer.toUnsignedString(t) + ", outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "TokenShard[" + file + ", " + header.tokenCount() + " tokens, " + header.documentCount() + " documents, vocab "
                + header.vocabSize() + ", uint" + (8 * header.tokenWidth()) + "]";
    }
}
