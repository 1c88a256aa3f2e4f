package ai.tarka.tokenizers.bpe;

import ai.tarka.common.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The shared-data tokenizers, each loaded once per test JVM. */
final class SharedTokenizers {
    private SharedTokenizers() {}

    private static final class R50k { static final ByteLevelBpe BPE = TiktokenEncoding.R50K_BASE.load(SharedData.resolve("tiktoken/r50k_base.tiktoken")); }
    private static final class Cl100k { static final ByteLevelBpe BPE = TiktokenEncoding.CL100K_BASE.load(SharedData.resolve("tiktoken/cl100k_base.tiktoken")); }
    private static final class O200k { static final ByteLevelBpe BPE = TiktokenEncoding.O200K_BASE.load(SharedData.resolve("tiktoken/o200k_base.tiktoken")); }
    private static final class Gpt2 {
        static final ByteLevelBpe BPE = Gpt2BpeLoader.load(SharedData.resolve("gpt2-bpe/encoder.json"), SharedData.resolve("gpt2-bpe/vocab.bpe"));
    }

    static ByteLevelBpe r50k() { return R50k.BPE; }
    static ByteLevelBpe cl100k() { return Cl100k.BPE; }
    static ByteLevelBpe o200k() { return O200k.BPE; }
    static ByteLevelBpe gpt2Files() { return Gpt2.BPE; }

    static String read(String relative) {
        try {
            return Files.readString(SharedData.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Expected(String text, int[] ids) {
        @Override
        public String toString() {
            String t = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return t.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        }
    }

    /** The {"text","ids"} lines of an expected-encodings file. */
    static List<Expected> expected(String relative) {
        ObjectMapper json = new ObjectMapper();
        List<Expected> out = new ArrayList<>();
        for (String line : read(relative).split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonNode n = json.readTree(line);
                out.add(new Expected(n.get("text").asText(), ids(n.get("ids"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = array.get(i).asInt();
        return ids;
    }
}
