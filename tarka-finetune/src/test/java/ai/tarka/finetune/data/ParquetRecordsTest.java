package ai.tarka.finetune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parquet datasets written with parquet-java's own writer read back as the same records, and convert to the same
 * examples, as their JSONL twins: string columns, numbers, and {@code list<struct>} conversations.
 */
class ParquetRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 11;
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY,
                CompressionCodecName.ZSTD, CompressionCodecName.GZIP, CompressionCodecName.LZ4_RAW)) {
            out.add(Arguments.of(seed++, codec, 1));
            out.add(Arguments.of(seed++, codec, 37));
        }
        return out.stream();
    }

    /** Random text with spaces, punctuation, quotes, newlines and non-ASCII letters; sometimes empty. */
    private static String text(Random rng) {
        String alphabet = "abcdefgh ijk,.\"'\n\tÄéß漢字🙂";
        int n = rng.nextInt(5) == 0 ? 0 : 1 + rng.nextInt(40);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.appendCodePoint(alphabet.codePoints().toArray()[rng.nextInt((int) alphabet.codePoints().count())]);
        return sb.toString();
    }

    /**
     * parquet-java's example writer on a local file with a plain configuration. {@code builder(OutputFile)} and
     * {@code withConf(ParquetConfiguration)} share their arity with Hadoop-typed overloads, which javac cannot resolve
     * without Hadoop on the class path; they are looked up by exact type instead. With Tarka's codec factory these
     * tests show that writing and reading need no Hadoop class.
     */
    private static ParquetWriter<Group> writer(Path file, MessageType schema, CompressionCodecName codec) throws IOException {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle builder = lookup.findStatic(ExampleParquetWriter.class, "builder",
                    MethodType.methodType(ExampleParquetWriter.Builder.class, OutputFile.class));
            MethodHandle withConf = lookup.findVirtual(ParquetWriter.Builder.class, "withConf",
                    MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class));
            ExampleParquetWriter.Builder b = (ExampleParquetWriter.Builder) builder.invoke((OutputFile) new LocalOutputFile(file));
            b = (ExampleParquetWriter.Builder) withConf.invoke(b, (ParquetConfiguration) new PlainParquetConfiguration());
            return b.withType(schema).withCodecFactory(ParquetCodecs.INSTANCE).withCompressionCodec(codec).withPageRowCountLimit(5).withRowGroupRowCountLimit(16).build();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void alpacaColumnsReadAsTheirJsonTwin(long seed, CompressionCodecName codec, int rows) throws IOException {
        Random rng = new Random(seed);
        MessageType schema = MessageTypeParser.parseMessageType("message alpaca { required binary instruction (STRING); "
                + "optional binary input (STRING); required binary output (STRING); optional int64 id; optional double score; "
                + "optional boolean ok; }");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path pq = dir.resolve("a.parquet"), jsonl = dir.resolve("a.jsonl");
        StringBuilder twin = new StringBuilder();
        try (ParquetWriter<Group> w = writer(pq, schema, codec)) {
            for (int r = 0; r < rows; r++) {
                Group g = groups.newGroup();
                ObjectNode o = JSON.createObjectNode();
                String instruction = text(rng), output = text(rng);
                g.add("instruction", instruction);
                o.put("instruction", instruction);
                if (rng.nextBoolean()) {
                    String input = text(rng);
                    g.add("input", input);
                    o.put("input", input);
                } else {
                    o.putNull("input");
                }
                g.add("output", output);
                o.put("output", output);
                long id = rng.nextLong();
                double score = rng.nextGaussian();
                boolean ok = rng.nextBoolean();
                g.append("id", id).append("score", score).append("ok", ok);
                o.put("id", id).put("score", score).put("ok", ok);
                w.write(g);
                twin.append(JSON.writeValueAsString(o)).append('\n');
            }
        }
        Files.writeString(jsonl, twin);
        List<JsonNode> fromParquet = RawRecords.read(pq), fromJson = RawRecords.read(jsonl);
        assertThat(fromParquet).hasSize(rows).isEqualTo(fromJson);
        assertThat(convert(pq, DatasetType.ALPACA, Map.of())).isEqualTo(convert(jsonl, DatasetType.ALPACA, Map.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conversationListsOfStructsReadAsTheirJsonTwin(long seed, CompressionCodecName codec, int rows) throws IOException {
        Random rng = new Random(seed);
        // the layout pyarrow writes for list<struct<speaker: string, text: string>>, under custom column names
        MessageType schema = MessageTypeParser.parseMessageType("message chats { optional group dialog (LIST) { "
                + "repeated group list { optional group element { optional binary speaker (STRING); optional binary text (STRING); } } } "
                + "optional binary source (STRING); }");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path pq = dir.resolve("c.parquet"), jsonl = dir.resolve("c.jsonl");
        StringBuilder twin = new StringBuilder();
        String[] speakers = {"human", "gpt", "system"};
        try (ParquetWriter<Group> w = writer(pq, schema, codec)) {
            for (int r = 0; r < rows; r++) {
                Group g = groups.newGroup();
                ObjectNode o = JSON.createObjectNode();
                Group list = g.addGroup("dialog");
                ArrayNode turns = o.putArray("dialog");
                int n = 1 + rng.nextInt(4);
                for (int t = 0; t < n; t++) {
                    String who = t == 0 && rng.nextBoolean() ? "system" : speakers[t % 2], said = text(rng);
                    list.addGroup("list").addGroup("element").append("speaker", who).append("text", said);
                    turns.addObject().put("speaker", who).put("text", said);
                }
                String source = "set-" + rng.nextInt(3);
                g.add("source", source);
                o.put("source", source);
                w.write(g);
                twin.append(JSON.writeValueAsString(o)).append('\n');
            }
        }
        Files.writeString(jsonl, twin);
        assertThat(RawRecords.read(pq)).hasSize(rows).isEqualTo(RawRecords.read(jsonl));
        Map<String, String> fields = Map.of("field_messages", "dialog", "message_field_role", "speaker", "message_field_content", "text");
        List<Example> examples = convert(pq, DatasetType.SHAREGPT, fields);
        assertThat(examples).isEqualTo(convert(jsonl, DatasetType.SHAREGPT, fields));
        assertThat(((Example.Chat) examples.get(0)).messages()).isNotEmpty();
    }

    private static List<Example> convert(Path file, DatasetType type, Map<String, String> fields) {
        return new RecordConverter(new DatasetSpec(file, type, fields, Map.of(), false)).convert(RawRecords.read(file));
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        Path garbage = dir.resolve("garbage.parquet");
        Files.write(garbage, "PAR1 this is not parquet PAR1".getBytes());
        assertThatThrownBy(() -> RawRecords.read(garbage)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("garbage.parquet").hasMessageContaining("not a readable Parquet file");

        MessageType schema = MessageTypeParser.parseMessageType("message t { required binary text (STRING); }");
        Path good = dir.resolve("good.parquet");
        try (ParquetWriter<Group> w = writer(good, schema, CompressionCodecName.SNAPPY)) {
            for (int i = 0; i < 50; i++) w.write(new SimpleGroupFactory(schema).newGroup().append("text", "row " + i));
        }
        assertThat(RawRecords.read(good)).hasSize(50);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.parquet");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> RawRecords.read(truncated)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("truncated.parquet");
        Path corrupt = dir.resolve("corrupt.parquet");
        byte[] flipped = bytes.clone();
        for (int i = 4; i < 40; i++) flipped[i] ^= 0x5A; // the first data page's header and values
        Files.write(corrupt, flipped);
        assertThatThrownBy(() -> RawRecords.read(corrupt)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("corrupt.parquet");
    }
}
