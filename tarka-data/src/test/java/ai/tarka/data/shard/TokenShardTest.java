package ai.tarka.data.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenShardTest {
    @TempDir
    Path dir;

    static Stream<Arguments> shapes() {
        Random rnd = new Random(41);
        List<Arguments> out = new ArrayList<>();
        for (int vocab : new int[] {65, 50257, 65536, 65537, 151_936}) {
            out.add(Arguments.of(vocab, 1 + rnd.nextInt(9), rnd.nextLong()));
        }
        out.add(Arguments.of(3, 1, 7L));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void roundTripsTokensAndDocuments(int vocab, int documents, long seed) {
        Random rnd = new Random(seed);
        List<int[]> docs = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            int[] t = new int[1 + rnd.nextInt(1000)];
            for (int i = 0; i < t.length; i++) t[i] = rnd.nextInt(vocab);
            t[0] = vocab - 1; // the largest id must survive (unsigned uint16)
            docs.add(t);
        }
        Path file = dir.resolve("s.bin");
        try (TokenShardWriter w = TokenShardWriter.create(file, vocab)) {
            for (int[] d : docs) w.writeDocument(d);
            w.writeDocument(new int[0]); // empty documents leave no entry
            w.commit();
        }
        assertThat(dir.toFile().list()).containsExactly("s.bin");
        try (TokenShard s = TokenShard.open(file)) {
            assertThat(s.tokenWidth()).isEqualTo(vocab <= 65536 ? 2 : 4);
            assertThat(s.vocabSize()).isEqualTo(vocab);
            assertThat(s.documentCount()).isEqualTo(documents);
            long pos = 0;
            for (int d = 0; d < documents; d++) {
                assertThat(s.documentStart(d)).isEqualTo(pos);
                assertThat(s.documentEnd(d)).isEqualTo(pos + docs.get(d).length);
                assertThat(s.read(pos, docs.get(d).length)).containsExactly(docs.get(d));
                assertThat(s.token(pos)).isEqualTo(vocab - 1);
                pos += docs.get(d).length;
            }
            assertThat(s.tokenCount()).isEqualTo(pos);
            s.validateTokens();
        }
    }

    @Test
    void appendsPiecesOfOneDocument() {
        Path file = dir.resolve("p.bin");
        try (TokenShardWriter w = TokenShardWriter.create(file, 10)) {
            w.append(new int[] {1, 2, 3}, 1, 2);
            w.append(new int[] {4}, 0, 1);
            w.startDocument();
            w.append(new int[] {5, 6}, 0, 2);
            w.commit();
        }
        try (TokenShard s = TokenShard.open(file)) {
            assertThat(s.read(0, 5)).containsExactly(2, 3, 4, 5, 6);
            assertThat(s.documentCount()).isEqualTo(2);
            assertThat(s.documentStart(1)).isEqualTo(3);
        }
    }

    @Test
    void emptyShardIsValid() {
        Path file = dir.resolve("e.bin");
        try (TokenShardWriter w = TokenShardWriter.create(file, 5)) {
            w.commit();
        }
        try (TokenShard s = TokenShard.open(file)) {
            assertThat(s.tokenCount()).isZero();
            assertThat(s.documentCount()).isZero();
        }
    }

    @Test
    void uncommittedWriterLeavesNothing() {
        Path file = dir.resolve("x.bin");
        assertThatThrownBy(() -> {
            try (TokenShardWriter w = TokenShardWriter.create(file, 5)) {
                w.writeDocument(new int[] {1, 2});
                w.writeDocument(new int[] {7}); // outside the vocabulary
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 7 at index 2").hasMessageContaining("x.bin");
        assertThat(dir.toFile().list()).isEmpty();
    }

    private Path sample() {
        Path file = dir.resolve("c.bin");
        try (TokenShardWriter w = TokenShardWriter.create(file, 100)) {
            w.writeDocument(new int[] {1, 2, 3});
            w.writeDocument(new int[] {4, 5});
            w.commit();
        }
        return file;
    }

    private static void patch(Path file, int offset, byte[] bytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, all, offset, bytes.length);
        Files.write(file, all);
    }

    private static byte[] le(long v, int size) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[size];
        System.arraycopy(b.array(), 0, out, 0, size);
        return out;
    }

    @Test
    void badMagic() throws IOException {
        Path f = sample();
        patch(f, 0, "NOTASHRD".getBytes());
        assertThatThrownBy(() -> TokenShard.open(f)).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("bad magic");
    }

    @Test
    void futureVersion() throws IOException {
        Path f = sample();
        patch(f, 8, le(2, 4));
        assertThatThrownBy(() -> TokenShard.open(f)).hasMessageContaining("unsupported version 2 at byte 8");
    }

    @Test
    void corruptHeaderFieldFailsChecksum() throws IOException {
        Path f = sample();
        patch(f, 24, le(4, 8)); // token count 5 -> 4
        assertThatThrownBy(() -> TokenShard.open(f)).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining("header checksum mismatch");
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = sample();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        assertThatThrownBy(() -> TokenShard.open(f)).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("truncated");
    }

    @Test
    void trailingBytes() throws IOException {
        Path f = sample();
        Files.write(f, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> TokenShard.open(f)).hasMessageContaining("trailing bytes");
    }

    @Test
    void shorterThanHeader() throws IOException {
        Path f = dir.resolve("short.bin");
        Files.write(f, "TARKATOK".getBytes());
        assertThatThrownBy(() -> TokenShard.open(f)).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining("shorter than the 64-byte header");
    }

    @Test
    void brokenDocumentTable() throws IOException {
        Path f = sample();
        long table = new ShardHeader(1, 2, 100, 5, 2).documentTableOffset();
        patch(f, (int) table + 8, le(9, 8)); // second start beyond the tokens
        assertThatThrownBy(() -> TokenShard.open(f)).hasMessageContaining("document table entry 1");
    }

    @Test
    void tokenOutsideVocabularyFoundByValidate() throws IOException {
        Path f = sample();
        patch(f, ShardHeader.SIZE + 2, le(100, 2));
        try (TokenShard s = TokenShard.open(f)) {
            assertThatThrownBy(s::validateTokens).hasMessageContaining("token 1 (byte 66) is 100");
        }
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> TokenShard.open(dir.resolve("none.bin"))).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining("none.bin").hasMessageContaining("does not exist");
    }

    @Test
    void unwritableTargetNamesTheFile() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file, not a directory");
        assertThatThrownBy(() -> TokenShardWriter.create(blocker.resolve("t.bin"), 10))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("t.bin");
    }
}
