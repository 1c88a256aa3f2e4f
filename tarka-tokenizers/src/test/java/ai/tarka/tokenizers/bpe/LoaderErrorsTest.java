package ai.tarka.tokenizers.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tokenizers.PreTokenizerPatterns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderErrorsTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String allBytes() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            sb.append(java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
        }
        return sb.toString();
    }

    @Test
    void tiktokenMalformedLinesNameFileAndLine() throws IOException {
        Path bad = write("bad.tiktoken", allBytes() + "YWI= 256\nnot-base64!! 257\n");
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(bad)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("bad.tiktoken:258").hasMessageContaining("base64");
        Path noRank = write("norank.tiktoken", allBytes() + "YWI=\n");
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(noRank)).hasMessageContaining("norank.tiktoken:257");
        Path twice = write("twice.tiktoken", allBytes() + "YWI= 255\n");
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(twice)).hasMessageContaining("twice.tiktoken:257").hasMessageContaining("twice");
        Path text = write("text.tiktoken", allBytes() + "YWI= x1\n");
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(text)).hasMessageContaining("text.tiktoken:257").hasMessageContaining("x1");
    }

    @Test
    void tinyTiktokenFileMergesByRank() throws IOException {
        // ranks: 256 "ab", 257 "abc", 258 "bc"; "abc" is a whole token, "abcabc" merges ab then abc
        Path f = write("tiny.tiktoken", allBytes() + "YWI= 256\nYWJj 257\nYmM= 258\n");
        ByteLevelBpe bpe = TiktokenLoader.load("tiny", f, PreTokenizerPatterns.GPT2_PATTERN, Map.of());
        assertThat(bpe.encode("abc")).containsExactly(257);
        assertThat(bpe.encode("abcabc")).containsExactly(257, 257);
        assertThat(bpe.encode("xbc")).containsExactly('x', 258);
    }

    @Test
    void missingSingleByteIsAClearError() throws IOException {
        Path f = write("short.tiktoken", "QQ== 0\n");
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(f)).hasMessageContaining("single byte");
    }

    @Test
    void gpt2MergeWithUnknownTokenNamesFileAndLine() throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteUnicodeTable.charOf(b)).replace("\\", "\\\\").replace("\"", "\\\"");
            json.append('"').append(c).append("\": ").append(b).append(",\n");
        }
        json.append("\"ab\": 256}");
        Path enc = write("encoder.json", json.toString());
        Path merges = write("vocab.bpe", "#version: 0.2\na b\nab c\n");
        assertThatThrownBy(() -> Gpt2BpeLoader.load("t", enc, merges, PreTokenizerPatterns.GPT2_PATTERN, Map.of()))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("vocab.bpe:3").hasMessageContaining("abc");
        Path badLine = write("bad.bpe", "#version: 0.2\na b\nabc\n");
        assertThatThrownBy(() -> Gpt2BpeLoader.load("t", enc, badLine, PreTokenizerPatterns.GPT2_PATTERN, Map.of()))
                .hasMessageContaining("bad.bpe:3");
        Path ok = write("ok.bpe", "#version: 0.2\na b\n");
        ByteLevelBpe bpe = Gpt2BpeLoader.load("t", enc, ok, PreTokenizerPatterns.GPT2_PATTERN, Map.of());
        assertThat(bpe.encode("abab")).containsExactly(256, 256);
    }

    @Test
    void encoderJsonWithNonIntegerIdNamesFileAndLine() throws IOException {
        Path enc = write("encoder.json", "{\n\"a\": 0,\n\"b\": \"one\"\n}");
        assertThatThrownBy(() -> Gpt2BpeLoader.readEncoder(enc)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("encoder.json:3").hasMessageContaining("'b'");
        Path notJson = write("broken.json", "{\"a\": 0,");
        assertThatThrownBy(() -> Gpt2BpeLoader.readEncoder(notJson)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("broken.json");
    }

    @Test
    void byteUnicodeTableIsABijectionOverPrintableCharacters() {
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteUnicodeTable.charOf(b);
            assertThat(seen.add(c)).isTrue();
            assertThat(ByteUnicodeTable.byteOf(c)).isEqualTo(b);
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte " + b).isFalse();
        }
        assertThat(ByteUnicodeTable.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteUnicodeTable.charOf('\n')).isEqualTo('Ċ');
    }
}
