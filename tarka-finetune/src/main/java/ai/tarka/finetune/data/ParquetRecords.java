package ai.tarka.finetune.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet dataset (Hugging Face's own export format) into the same records as the JSON readers: each row
 * becomes a JSON object, string columns text, numbers and booleans as such, lists arrays and structs objects, so a
 * {@code conversations} column of {@code list<struct<from, value>>} reads exactly as its JSONL twin. Read with
 * parquet-java through its Hadoop-free entry points ({@link LocalInputFile}, the default plain configuration, and
 * {@link ParquetCodecs} for the page codecs): no Hadoop class is needed at run time.
 */
final class ParquetRecords {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParquetRecords() {}

    static List<JsonNode> read(Path file) {
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            List<JsonNode> out = new ArrayList<>((int) Math.min(reader.getRecordCount(), 1 << 20));
            for (PageReadStore rowGroup = reader.readNextRowGroup(); rowGroup != null; rowGroup = reader.readNextRowGroup()) {
                RecordReader<Group> rows = columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
                for (long r = 0; r < rowGroup.getRowCount(); r++) out.add(object(rows.read(), schema));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("dataset " + file + ": not a readable Parquet file: " + describe(e), e);
        }
    }

    /**
     * {@code new ParquetFileReader(InputFile, ParquetReadOptions)}, looked up by its exact type: every overload of it
     * and of {@code ParquetFileReader.open} shares its arity with a Hadoop-typed one, which javac cannot resolve
     * without Hadoop on the class path, and a method handle resolves this one constructor alone.
     */
    private static ParquetFileReader open(Path file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(ParquetCodecs.INSTANCE).build();
        try {
            return (ParquetFileReader) OPEN.invoke((InputFile) new LocalInputFile(file), options);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private static final MethodHandle OPEN;

    static {
        try {
            OPEN = MethodHandles.publicLookup().findConstructor(ParquetFileReader.class,
                    MethodType.methodType(void.class, InputFile.class, ParquetReadOptions.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    private static ObjectNode object(Group g, GroupType type) {
        ObjectNode o = NODES.objectNode();
        for (int f = 0; f < type.getFieldCount(); f++) {
            Type field = type.getType(f);
            int n = g.getFieldRepetitionCount(f);
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode a = o.putArray(field.getName());
                for (int i = 0; i < n; i++) a.add(value(g, f, i, field));
            } else {
                o.set(field.getName(), n == 0 ? NODES.nullNode() : value(g, f, 0, field));
            }
        }
        return o;
    }

    /** One value of field {@code f}; LIST and MAP groups become arrays and objects as pyarrow writes them. */
    private static JsonNode value(Group g, int f, int i, Type field) {
        if (field.isPrimitive()) return primitive(g, f, i, field.asPrimitiveType());
        Group child = g.getGroup(f, i);
        GroupType type = field.asGroupType();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && type.getFieldCount() == 1) {
            return list(child, type.getType(0));
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation && type.getFieldCount() == 1
                && !type.getType(0).isPrimitive() && type.getType(0).asGroupType().getFieldCount() == 2) {
            ObjectNode map = NODES.objectNode();
            GroupType entry = type.getType(0).asGroupType();
            for (int e = 0; e < child.getFieldRepetitionCount(0); e++) {
                Group kv = child.getGroup(0, e);
                map.set(primitive(kv, 0, 0, entry.getType(0).asPrimitiveType()).asText(),
                        kv.getFieldRepetitionCount(1) == 0 ? NODES.nullNode() : value(kv, 1, 0, entry.getType(1)));
            }
            return map;
        }
        return object(child, type);
    }

    /** A LIST: the standard three levels ({@code repeated group list { element }}) or a legacy two-level list. */
    private static ArrayNode list(Group holder, Type repeated) {
        ArrayNode a = NODES.arrayNode();
        int n = holder.getFieldRepetitionCount(0);
        boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple");
        for (int i = 0; i < n; i++) {
            if (threeLevel) {
                Group wrapper = holder.getGroup(0, i);
                Type element = repeated.asGroupType().getType(0);
                a.add(wrapper.getFieldRepetitionCount(0) == 0 ? NODES.nullNode() : value(wrapper, 0, 0, element));
            } else {
                a.add(value(holder, 0, i, repeated));
            }
        }
        return a;
    }

    private static JsonNode primitive(Group g, int f, int i, PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> NODES.booleanNode(g.getBoolean(f, i));
            case INT32 -> NODES.numberNode(g.getInteger(f, i));
            case INT64 -> NODES.numberNode(g.getLong(f, i));
            case FLOAT -> NODES.numberNode(g.getFloat(f, i));
            case DOUBLE -> NODES.numberNode(g.getDouble(f, i));
            case BINARY, FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                    ? NODES.textNode(g.getString(f, i))
                    : NODES.textNode(Base64.getEncoder().encodeToString(g.getBinary(f, i).getBytes()));
            case INT96 -> NODES.textNode(Base64.getEncoder().encodeToString(g.getInt96(f, i).getBytes()));
        };
    }
}
