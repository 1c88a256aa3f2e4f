package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.tokenizers.bpe.Gpt2BpeLoader;
import ai.tarka.tokenizers.bpe.TiktokenEncoding;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, mis-encoded or mis-typed tokenizer files: an error that names the file and the field or place, never a crash. */
class MalformedFilesTest {
    @TempDir
    Path dir;

    private static final String WORDPIECE = """
            {"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                       "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "hello": 3, "##s": 4}},
             "normalizer": {"type": "BertNormalizer", "lowercase": true},
             "pre_tokenizer": {"type": "BertPreTokenizer"}}
            """;

    private static final String SPM = """
            {"model": {"type": "BPE", "byte_fallback": true, "unk_token": "<unk>",
                       "vocab": {"<unk>": 0, "\\u2581": 1, "a": 2, "b": 3, "\\u2581a": 4, "ab": 5},
                       "merges": ["\\u2581 a", "a b"]},
             "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\\u2581"},
                            {"type": "Replace", "pattern": {"String": " "}, "content": "\\u2581"}]},
             "pre_tokenizer": null}
            """;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void truncatedJsonAndTruncatedGzipNameTheFile() throws IOException {
        Path cut = write("cut.json", WORDPIECE.substring(0, WORDPIECE.length() / 2));
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(cut)).isInstanceOf(TokenizerFormatException.class).hasMessageContaining("cut.json");
        byte[] gz;
        try (InputStream in = Files.newInputStream(SharedData.resolve("qwen3-tokenizer/tokenizer.json.gz"))) {
            gz = in.readNBytes(100_000);
        }
        Path cutGz = dir.resolve("cut-tokenizer.json.gz");
        Files.write(cutGz, gz);
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(cutGz)).isInstanceOf(TokenizerFormatException.class).hasMessageContaining("cut-tokenizer.json.gz");
        Path empty = write("empty.json", "");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(empty)).isInstanceOf(TokenizerFormatException.class).hasMessageContaining("empty.json");
    }

    @Test
    void nonUtf8BytesNameTheFile() throws IOException {
        byte[] json = WORDPIECE.getBytes(StandardCharsets.UTF_8);
        int at = WORDPIECE.indexOf("hello") + 1;
        json[at] = (byte) 0xFF;
        Path bad = dir.resolve("latin.json");
        Files.write(bad, json);
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(bad)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("latin.json").hasMessageContaining("UTF-8");
        Path encoder = write("encoder.json", "{\"a\": 0, \"b\": 1, \"<|endoftext|>\": 2}");
        Path merges = dir.resolve("vocab.bpe");
        Files.write(merges, new byte[] {'#', '\n', 'a', ' ', (byte) 0xC3, '\n'});
        assertThatThrownBy(() -> Gpt2BpeLoader.load(encoder, merges)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("vocab.bpe").hasMessageContaining("not valid UTF-8");
        Path ranks = dir.resolve("r50k_base.tiktoken");
        Files.write(ranks, new byte[] {'Y', 'Q', '=', '=', ' ', '0', '\n', (byte) 0xFE, ' ', '1', '\n'});
        assertThatThrownBy(() -> TiktokenEncoding.R50K_BASE.load(ranks)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("r50k_base.tiktoken").hasMessageContaining("not valid UTF-8");
        Path config = dir.resolve("tokenizer_config.json");
        Files.write(config, new byte[] {'{', '"', 'b', 'o', 's', '_', 't', 'o', 'k', 'e', 'n', '"', ':', '"', (byte) 0xC0, '"', '}'});
        assertThatThrownBy(() -> HfTokenizerConfig.read(config)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("UTF-8");
    }

    @Test
    void wordPieceFieldsAreNamed() throws IOException {
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("wp1.json", WORDPIECE.replace("\"##\"", "\"@@\""))))
                .hasMessageContaining("wp1.json").hasMessageContaining("model.continuing_subword_prefix");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("wp2.json", WORDPIECE.replace("BertNormalizer", "NFKC"))))
                .hasMessageContaining("wp2.json").hasMessageContaining("normalizer.type").hasMessageContaining("NFKC");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("wp3.json", WORDPIECE.replace("\"unk_token\": \"[UNK]\"", "\"unk_token\": \"<unk>\""))))
                .hasMessageContaining("wp3.json").hasMessageContaining("model.unk_token");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("wp4.json", WORDPIECE.replace("\"hello\": 3", "\"hello\": \"three\""))))
                .hasMessageContaining("wp4.json").hasMessageContaining("model.vocab[\"hello\"]");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("wp5.json", WORDPIECE.replace("BertPreTokenizer", "Whitespace"))))
                .hasMessageContaining("wp5.json").hasMessageContaining("pre_tokenizer.type");
    }

    @Test
    void sentencePieceFieldsAreNamed() throws IOException {
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("spm1.json", SPM.replace("\"a b\"", "\"a c\""))))
                .hasMessageContaining("spm1.json").hasMessageContaining("model.merges[1]");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("spm2.json", SPM.replace("\"a b\"", "\"a b c\""))))
                .hasMessageContaining("spm2.json").hasMessageContaining("model.merges[1]");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("spm3.json", SPM.replace("\"Prepend\"", "\"Strip\""))))
                .hasMessageContaining("spm3.json").hasMessageContaining("normalizer.normalizers[0].type");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(write("spm4.json", SPM.replace("\"unk_token\": \"<unk>\"", "\"unk_token\": \"<u>\""))))
                .hasMessageContaining("spm4.json").hasMessageContaining("model.unk_token");
        assertThatThrownBy(() -> HfTokenizerJson.load(write("spm5.json", SPM)))
                .hasMessageContaining("spm5.json").hasMessageContaining("SentencePiece");
    }

    @Test
    void aSmallSentencePieceFileEncodes() throws IOException {
        var t = HfTokenizerJson.loadAny(write("spm.json", SPM));
        org.assertj.core.api.Assertions.assertThat(t.encode("ab a")).containsExactly(4, 3, 4);
        org.assertj.core.api.Assertions.assertThat(t.decode(t.encode("ab a"))).isEqualTo("ab a");
    }
}
