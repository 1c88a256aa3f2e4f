package ai.tarka.data.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.common.SharedData;
import ai.tarka.data.PreparedData;
import ai.tarka.data.shard.TokenShard;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.TokenizerLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataPreparerTest {
    @TempDir
    Path dir;

    private static PrepareOptions options(List<Path> in, Path out, Path tokenizer) {
        return PrepareOptions.of(in, out, tokenizer).withThreads(2);
    }

    private static int[] all(List<TokenShard> shards) {
        int n = (int) shards.stream().mapToLong(TokenShard::tokenCount).sum();
        int[] out = new int[n];
        int at = 0;
        for (TokenShard s : shards) {
            s.read(0, out, at, (int) s.tokenCount());
            at += (int) s.tokenCount();
        }
        return out;
    }

    @Test
    void singleTextDocumentIsSplitByTokensLikeNanoGpt() throws IOException {
        String text = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n";
        Path in = Files.writeString(dir.resolve("tiny.txt"), text);
        Path out = dir.resolve("out");
        PrepareSummary s = DataPreparer.prepare(options(List.of(in), out, null), DataPreparer.Listener.NONE);
        int n = text.length();
        int cut = (int) (n * 0.9);
        assertThat(s.splitMode()).isEqualTo("tokens");
        assertThat(s.trainTokens()).isEqualTo(cut);
        assertThat(s.valTokens()).isEqualTo(n - cut);
        assertThat(s.vocabSize()).isEqualTo((int) text.chars().distinct().count());
        try (PreparedData data = PreparedData.open(out)) {
            TextTokenizer tok = TokenizerLoader.load(data.tokenizerPath());
            assertThat(tok.decode(all(data.train()))).isEqualTo(text.substring(0, cut));
            assertThat(tok.decode(all(data.val()))).isEqualTo(text.substring(cut));
            assertThat(data.train().getFirst().tokenWidth()).isEqualTo(2);
            assertThat(data.meta().path("tokenizer").path("kind").asText()).isEqualTo("char");
        }
        assertThat(Files.list(out).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("meta.json", "tokenizer.json", "train.bin", "val.bin");
    }

    /** nanoGPT's shakespeare_char: 65 characters, 1,003,854 train and 111,540 val tokens, "hii there" → its ids. */
    @Test
    void tinyShakespeareCharMatchesNanoGpt() {
        Path in = SharedData.resolve("tinyshakespeare/input.txt");
        Path out = dir.resolve("char");
        PrepareSummary s = DataPreparer.prepare(options(List.of(in), out, null), DataPreparer.Listener.NONE);
        assertThat(s.vocabSize()).isEqualTo(65);
        assertThat(s.trainTokens()).isEqualTo(1_003_854);
        assertThat(s.valTokens()).isEqualTo(111_540);
        try (PreparedData data = PreparedData.open(out)) {
            TextTokenizer tok = TokenizerLoader.load(data.tokenizerPath());
            assertThat(tok.encode("hii there")).containsExactly(46, 47, 47, 1, 58, 46, 43, 56, 43);
            assertThat(data.train().getFirst().read(0, 5)).containsExactly(tok.encode("First"));
        }
    }

    /** GPT-2 tokens of the whole of Tiny Shakespeare: 338,025 (nanoGPT's 301,966 + 36,059, which splits the text first). */
    @Test
    void tinyShakespeareGpt2TokenCount() {
        PrepareSummary s = DataPreparer.prepare(options(List.of(SharedData.resolve("tinyshakespeare/input.txt")), dir.resolve("gpt2"),
                SharedData.resolve("gpt2-bpe")), DataPreparer.Listener.NONE);
        assertThat(s.tokens()).isEqualTo(338_025);
        assertThat(s.trainTokens()).isEqualTo((long) (338_025 * 0.9));
        assertThat(s.eosAppended()).isFalse();
    }

    /** Documents from a JSONL file, with a GPT-2 tokenizer: EOS after each, every 1/f-th to validation. */
    @Test
    void jsonlDocumentsWithGpt2() throws IOException {
        Path gpt2 = SharedData.resolve("gpt2-bpe");
        List<String> texts = new ArrayList<>();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            String t = "Document " + i + " says \"hello\" to\nline two. <|endoftext|> stays text";
            texts.add(t);
            jsonl.append("{\"id\": ").append(i).append(", \"body\": ").append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(t)).append("}\n");
            if (i == 5) jsonl.append("\n"); // blank lines are skipped
        }
        Path in = Files.writeString(dir.resolve("docs.jsonl"), jsonl);
        Path out = dir.resolve("out");
        PrepareOptions o = new PrepareOptions(List.of(in), out, gpt2, InputFormat.AUTO, false, null, "body", 0.1,
                PrepareOptions.DEFAULT_SHARD_TOKENS, 3, "test");
        PrepareSummary s = DataPreparer.prepare(o, DataPreparer.Listener.NONE);
        assertThat(s.documents()).isEqualTo(23);
        assertThat(s.valDocuments()).isEqualTo(2); // round(23 * 0.1)
        assertThat(s.eosId()).isEqualTo(50256);
        assertThat(s.eosAppended()).isTrue();
        TextTokenizer tok = TokenizerLoader.load(gpt2);
        try (PreparedData data = PreparedData.open(out)) {
            StringBuilder train = new StringBuilder(), val = new StringBuilder();
            for (int i = 0; i < 23; i++) (i == 4 || i == 14 ? val : train).append(texts.get(i)).append("<|endoftext|>");
            assertThat(tok.decode(all(data.train()))).isEqualTo(train.toString());
            assertThat(tok.decode(all(data.val()))).isEqualTo(val.toString());
            TokenShard t = data.train().getFirst();
            assertThat(t.documentCount()).isEqualTo(21);
            int[] firstDoc = t.read(t.documentStart(0), (int) (t.documentEnd(0) - t.documentStart(0)));
            assertThat(firstDoc[firstDoc.length - 1]).isEqualTo(50256);
            assertThat(Arrays.stream(firstDoc).filter(x -> x == 50256).count()).isEqualTo(1); // text "<|endoftext|>" is not EOS
            assertThat(data.eosId()).isEqualTo(50256);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void outputDoesNotDependOnThreadsAndShardsRollOver(int threads) throws IOException {
        Random rnd = new Random(5);
        Path folder = Files.createDirectories(dir.resolve("corpus/sub"));
        for (int f = 0; f < 7; f++) {
            StringBuilder sb = new StringBuilder();
            for (int l = 0; l < 1 + rnd.nextInt(30); l++) {
                for (int c = 0; c < rnd.nextInt(60); c++) sb.append((char) ('a' + rnd.nextInt(26)));
                sb.append('\n');
            }
            Files.writeString((f % 2 == 0 ? folder : folder.getParent()).resolve("f" + f + ".txt"), sb);
        }
        Path ref = dir.resolve("ref"), out = dir.resolve("out" + threads);
        PrepareOptions base = new PrepareOptions(List.of(dir.resolve("corpus")), ref, null, InputFormat.TEXT, true, null, "text", 0.25,
                PrepareOptions.DEFAULT_SHARD_TOKENS, 2, "test");
        DataPreparer.prepare(base, DataPreparer.Listener.NONE);
        PrepareSummary s = DataPreparer.prepare(new PrepareOptions(base.inputs(), out, null, InputFormat.TEXT, true, null, "text", 0.25,
                100, threads, "test"), DataPreparer.Listener.NONE);
        assertThat(s.trainShards().size()).isGreaterThan(1);
        assertThat(s.trainShards().getFirst().getFileName().toString()).isEqualTo("train-00000.bin");
        try (PreparedData a = PreparedData.open(ref); PreparedData b = PreparedData.open(out)) {
            assertThat(a.train()).hasSize(1);
            assertThat(all(b.train())).containsExactly(all(a.train()));
            assertThat(all(b.val())).containsExactly(all(a.val()));
            assertThat(b.train().stream().mapToLong(TokenShard::documentCount).sum()).isEqualTo(s.trainDocuments());
            for (TokenShard shard : b.train().subList(0, b.train().size() - 1)) { // every shard but the last is full
                assertThat(shard.tokenCount()).isGreaterThanOrEqualTo(100).isLessThan(100 + 61);
            }
        }
    }

    @Test
    void separatorSplitsDocuments() throws IOException {
        Path in = Files.writeString(dir.resolve("a.txt"), "one<SEP>two<SEP>  <SEP>three");
        PrepareOptions o = new PrepareOptions(List.of(in), dir.resolve("o"), null, InputFormat.AUTO, false, "<SEP>", null, 0.0,
                PrepareOptions.DEFAULT_SHARD_TOKENS, 1, "test");
        PrepareSummary s = DataPreparer.prepare(o, DataPreparer.Listener.NONE);
        assertThat(s.documents()).isEqualTo(3);
        assertThat(s.valShards()).isEmpty();
        assertThat(s.trainTokens()).isEqualTo("onetwothree".length()); // the char tokenizer has no EOS
    }

    @Test
    void missingInputIsNamed() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(missing), dir.resolve("o"), null), DataPreparer.Listener.NONE))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void invalidJsonLineIsNamedAndNothingIsLeft() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        String lines = IntStream.range(0, 40).mapToObj(i -> i == 31 ? "{\"text\": \"unterminated}" : "{\"text\": \"ok " + i + "\"}")
                .reduce("", (a, b) -> a + b + "\n");
        Files.writeString(in, lines);
        Path out = dir.resolve("o");
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(in), out, SharedData.resolve("gpt2-bpe")), DataPreparer.Listener.NONE))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(in + ":32: invalid JSON");
        assertThat(Files.list(out).toList()).isEmpty();
    }

    @Test
    void missingAndWrongTypedFieldsAreNamed() throws IOException {
        Path in = Files.writeString(dir.resolve("f.jsonl"), "{\"text\": \"a\"}\n{\"content\": \"b\", \"id\": 2}\n");
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(in), dir.resolve("o"), null), DataPreparer.Listener.NONE))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(in + ":2: field \"text\" is missing (fields: content, id");
        Path in2 = Files.writeString(dir.resolve("g.jsonl"), "{\"text\": 42}\n");
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(in2), dir.resolve("o2"), null), DataPreparer.Listener.NONE))
                .hasMessageContaining(in2 + ":1: field \"text\" is number, expected a string");
        assertThat(Files.exists(dir.resolve("o2/tokenizer.json"))).isFalse();
    }

    @Test
    void invalidUtf8IsNamed() throws IOException {
        Path in = dir.resolve("bin.txt");
        Files.write(in, new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'});
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(in), dir.resolve("o"), null), DataPreparer.Listener.NONE))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(in.toString()).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void unwritableOutputLeavesNoShards() throws IOException {
        Path in = Files.writeString(dir.resolve("a.txt"), "abc");
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> DataPreparer.prepare(options(List.of(in), blocker.resolve("out"), null), DataPreparer.Listener.NONE))
                .hasMessageContaining(blocker.resolve("out").toString());
    }
}
