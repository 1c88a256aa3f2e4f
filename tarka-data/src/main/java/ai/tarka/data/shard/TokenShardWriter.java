package ai.tarka.data.shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes a token shard (format in {@link ShardHeader}) to a temporary file beside the target and
 * moves it into place on {@link #commit()}. Closing without committing (an exception in a
 * try-with-resources block) deletes the temporary file, so a half-written shard never appears.
 *
 * <p>Use {@link #writeDocument} for one whole document, or {@link #startDocument} followed by any
 * number of {@link #append} calls when a document arrives in pieces.
 */
public final class TokenShardWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final int vocabSize;
    private final int width;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long[] documentStarts = new long[64];
    private long documentCount;
    private long tokenCount;
    private boolean finished;
    private boolean pendingStart;

    private TokenShardWriter(Path target, int vocabSize) throws IOException {
        this.target = target.toAbsolutePath();
        this.vocabSize = vocabSize;
        this.width = ShardHeader.widthFor(vocabSize);
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temp = dir.resolve("." + this.target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channel.position(ShardHeader.SIZE); // the header is written last, when the counts are known
    }

    /** Starts a shard for token ids in {@code [0, vocabSize)}: 2-byte tokens when vocabSize ≤ 65536, else 4-byte. */
    public static TokenShardWriter create(Path target, int vocabSize) {
        try {
            return new TokenShardWriter(target, vocabSize);
        } catch (IOException e) {
            throw new UncheckedIOException("token shard " + target + ": cannot create temporary file: " + e.getMessage(), e);
        }
    }

    public Path target() {
        return target;
    }

    public long tokenCount() {
        return tokenCount;
    }

    public long documentCount() {
        return documentCount;
    }

    /** Token bytes written so far plus the header; for progress and summaries. */
    public long bytesWritten() {
        return ShardHeader.SIZE + tokenCount * width;
    }

    /** Appends {@code tokens} as one new document. */
    public void writeDocument(int[] tokens) {
        startDocument();
        append(tokens, 0, tokens.length);
    }

    /** Marks that the next appended token begins a new document. */
    public void startDocument() {
        checkOpen();
        pendingStart = true; // recorded at the first appended token, so empty documents leave no entry
    }

    /** Appends {@code len} tokens from {@code tokens[off..]} to the current document. */
    public void append(int[] tokens, int off, int len) {
        checkOpen();
        if (len == 0) return;
        if (pendingStart || documentCount == 0) {
            recordDocumentStart();
            pendingStart = false;
        }
        try {
            for (int i = off; i < off + len; i++) {
                int t = tokens[i];
                if (t < 0 || t >= vocabSize) {
                    throw new IllegalArgumentException("token shard " + target + ": token id " + t + " at index " + (tokenCount + i - off)
                            + " is outside the vocabulary [0, " + vocabSize + ")");
                }
                if (buffer.remaining() < 4) flush();
                if (width == 2) buffer.putShort((short) t);
                else buffer.putInt(t);
            }
            tokenCount += len;
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private void recordDocumentStart() {
        if (documentCount == documentStarts.length) documentStarts = Arrays.copyOf(documentStarts, documentStarts.length * 2);
        documentStarts[(int) documentCount++] = tokenCount;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }

    /** Finishes the file (padding, document table, header), forces it to disk and moves it into place. */
    public Path commit() {
        checkOpen();
        ShardHeader header = new ShardHeader(ShardHeader.VERSION, width, vocabSize, tokenCount, documentCount);
        try {
            long pad = header.documentTableOffset() - ShardHeader.SIZE - tokenCount * width;
            for (long i = 0; i < pad; i++) buffer.put((byte) 0);
            for (long d = 0; d < documentCount; d++) {
                if (buffer.remaining() < 8) flush();
                buffer.putLong(documentStarts[(int) d]);
            }
            flush();
            ByteBuffer h = header.encode();
            while (h.hasRemaining()) channel.write(h, h.position());
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            finished = true;
            return target;
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private UncheckedIOException writeFailed(IOException e) {
        abort();
        return new UncheckedIOException("token shard " + target + ": write failed (" + e.getMessage()
                + "); the temporary file was deleted", e);
    }

    /** Discards everything written; the target is left untouched. */
    public void abort() {
        if (finished) return;
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next; a close failure changes nothing
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: nothing else can be done about a temp file we cannot delete
        }
    }

    private void checkOpen() {
        if (finished) throw new IllegalStateException("token shard " + target + ": writer already committed or aborted");
    }

    /** Aborts unless {@link #commit()} ran. */
    @Override
    public void close() {
        abort();
    }
}
