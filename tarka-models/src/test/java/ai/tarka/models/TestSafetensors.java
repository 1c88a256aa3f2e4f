package ai.tarka.models;

import ai.tarka.engine.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal F32-only safetensors reader for the test fixtures, independent of tarka-formats so that the fixtures
 * are read by code that shares nothing with the model under test.
 */
final class TestSafetensors {
    private TestSafetensors() {}

    static LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, headerLen, java.nio.charset.StandardCharsets.UTF_8));
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode shapeNode = e.getValue().get("shape");
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).intValue();
            long start = e.getValue().get("data_offsets").get(0).longValue();
            float[] v = new float[Math.toIntExact((e.getValue().get("data_offsets").get(1).longValue() - start) / 4)];
            int base = 8 + headerLen + (int) start;
            for (int i = 0; i < v.length; i++) v[i] = buf.getFloat(base + 4 * i);
            out.put(e.getKey(), Tensor.of(v, shape));
        }
        return out;
    }
}
