package ai.tarka.tokenizers.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.tokenizers.bpe.ByteUnicodeTable;
import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built tokenizer.json files: both merge spellings, gzip, added tokens, config, and every refusal. */
class TinyTokenizerJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    /** 256 byte tokens (GPT-2 order), then "ab" = 256, "abc" = 257, " a" = 258; merges a+b, ab+c, space+a. */
    private static ObjectNode tiny(boolean arrayMerges) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < 256; i++) vocab.put(String.valueOf(ByteUnicodeTable.charOf(ByteUnicodeTable.gpt2OrderByte(i))), i);
        String space = String.valueOf(ByteUnicodeTable.charOf(' '));
        vocab.put("ab", 256);
        vocab.put("abc", 257);
        vocab.put(space + "a", 258);
        ArrayNode merges = model.putArray("merges");
        String[][] pairs = {{"a", "b"}, {"ab", "c"}, {space, "a"}};
        for (String[] p : pairs) {
            if (arrayMerges) merges.addArray().add(p[0]).add(p[1]);
            else merges.add(p[0] + " " + p[1]);
        }
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", " ?\\p{L}+|\\p{N}|\\s+|[^\\s\\p{L}\\p{N}]+");
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = steps.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 300).put("content", "<|end|>").put("special", true);
        added.addObject().put("id", 301).put("content", "<|end|>x").put("special", false);
        return root;
    }

    private Path write(ObjectNode root, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void stringAndArrayMergesEncodeAlike() throws IOException {
        for (boolean arrays : new boolean[] {false, true}) {
            HfTokenizer t = HfTokenizerJson.load(write(tiny(arrays), "tokenizer.json"));
            // " ab": a+b outranks space+a, so the space stays alone; " a": space+a applies
            assertThat(t.encodeOrdinary("abc ab a1")).containsExactly(257, idOfByte(' '), 256, 258, idOfByte('1'));
            assertThat(t.decode(t.encodeOrdinary("abc ab a1"))).isEqualTo("abc ab a1");
            assertThat(t.config()).isEqualTo(HfTokenizerConfig.NONE);
        }
    }

    private static int idOfByte(int b) {
        for (int i = 0; i < 256; i++) if (ByteUnicodeTable.gpt2OrderByte(i) == b) return i;
        throw new AssertionError();
    }

    @Test
    void gzippedFileIsDetectedByItsMagicBytes() throws IOException {
        Path file = dir.resolve("tokenizer.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(JSON.writeValueAsBytes(tiny(true)));
        }
        assertThat(HfTokenizerJson.load(file).encodeOrdinary("abc")).containsExactly(257);
    }

    @Test
    void addedTokensMatchLongestFirst() throws IOException {
        HfTokenizer t = HfTokenizerJson.load(write(tiny(false), "tokenizer.json"));
        assertThat(t.encode("ab<|end|>x<|end|>")).containsExactly(256, 301, 300);
        assertThat(t.isSpecial(300)).isTrue();
        assertThat(t.isSpecial(301)).isFalse();
        assertThat(t.decode(new int[] {300, 257})).isEqualTo("<|end|>abc");
    }

    @Test
    void configBesideTheFileGivesBosAndEos() throws IOException {
        Path file = write(tiny(false), "tokenizer.json");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": true, \"bos_token\": {\"content\": \"<|end|>x\"}, \"eos_token\": \"<|end|>\"}");
        HfTokenizer t = HfTokenizerJson.load(file);
        assertThat(t.config()).isEqualTo(new HfTokenizerConfig("<|end|>x", "<|end|>", true, false));
        assertThat(t.bosId()).isEqualTo(301);
        assertThat(t.eosId()).isEqualTo(300);
    }

    @Test
    void malformedConfigNamesFileAndField() throws IOException {
        Path file = write(tiny(false), "tokenizer.json");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"yes\"}");
        assertThatThrownBy(() -> HfTokenizerJson.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("add_bos_token");
    }

    private void assertRefused(ObjectNode root, String... messageParts) throws IOException {
        Path file = write(root, "bad.json");
        var thrown = assertThatThrownBy(() -> HfTokenizerJson.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("bad.json");
        for (String part : messageParts) thrown.hasMessageContaining(part);
    }

    @Test
    void unsupportedModelTypeIsNamed() throws IOException {
        ObjectNode root = tiny(false);
        ((ObjectNode) root.get("model")).put("type", "Unigram");
        assertRefused(root, "model.type", "\"Unigram\"");
        Path file = write(root, "unigram.json");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("unigram.json").hasMessageContaining("model.type").hasMessageContaining("\"Unigram\" is not supported");
    }

    @Test
    void missingFieldsAreNamed() throws IOException {
        ObjectNode noVocab = tiny(false);
        ((ObjectNode) noVocab.get("model")).remove("vocab");
        assertRefused(noVocab, "model.vocab", "missing");
        ObjectNode noMerges = tiny(false);
        ((ObjectNode) noMerges.get("model")).remove("merges");
        assertRefused(noMerges, "model.merges", "missing");
        ObjectNode noModel = tiny(false);
        noModel.remove("model");
        assertRefused(noModel, "model", "missing");
    }

    @Test
    void badMergesAreNamedByIndex() throws IOException {
        ObjectNode threeParts = tiny(false);
        ((ArrayNode) threeParts.get("model").get("merges")).set(1, JSON.getNodeFactory().textNode("a b c"));
        assertRefused(threeParts, "model.merges[1]");
        ObjectNode unknown = tiny(true);
        ((ArrayNode) unknown.get("model").get("merges")).addArray().add("abc").add("zz");
        assertRefused(unknown, "merges[3]", "zz");
    }

    @Test
    void unsupportedPipelinePartsAreNamed() throws IOException {
        ObjectNode normalizer = tiny(false);
        normalizer.putObject("normalizer").put("type", "Lowercase");
        assertRefused(normalizer, "normalizer.type", "Lowercase");
        ObjectNode pre = tiny(false);
        ((ObjectNode) pre.get("pre_tokenizer")).put("type", "Metaspace");
        assertRefused(pre, "model", "SentencePiece BPE");
        Path metaspace = write(pre, "metaspace.json");
        assertThatThrownBy(() -> HfTokenizerJson.loadAny(metaspace)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("metaspace.json").hasMessageContaining("pre_tokenizer.split");
        ObjectNode step = tiny(false);
        ((ObjectNode) step.get("pre_tokenizer").get("pretokenizers").get(0)).put("behavior", "Removed");
        assertRefused(step, "pre_tokenizer.pretokenizers[0].behavior", "Removed");
        ObjectNode regex = tiny(false);
        ((ObjectNode) regex.get("pre_tokenizer").get("pretokenizers").get(0).get("pattern")).put("Regex", "(unclosed");
        assertRefused(regex, "pre_tokenizer.pretokenizers[0].pattern.Regex");
        ObjectNode decoder = tiny(false);
        decoder.putObject("decoder").put("type", "WordPiece");
        assertRefused(decoder, "decoder.type", "WordPiece");
    }

    @Test
    void notJsonIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\", ");
        assertThatThrownBy(() -> HfTokenizerJson.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("broken.json");
    }
}
