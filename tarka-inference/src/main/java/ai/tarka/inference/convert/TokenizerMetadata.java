package ai.tarka.inference.convert;

import ai.tarka.formats.gguf.GgufFile;
import ai.tarka.formats.gguf.GgufValue;
import ai.tarka.formats.gguf.GgufValueType;
import ai.tarka.tokenizers.llama2c.Llama2cTokenizerFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code tokenizer.*} GGUF metadata for a model being written: copied from a GGUF, or built from llama2.c's file. */
public final class TokenizerMetadata {
    private TokenizerMetadata() {}

    public static Map<String, GgufValue> fromGguf(GgufFile g) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        for (String k : g.keys()) if (k.startsWith("tokenizer.")) m.put(k, g.get(k));
        return m;
    }

    /**
     * A llama2.c {@code tokenizer.bin} as llama.cpp's converter stores it: model {@code llama} (SentencePiece BPE),
     * the pieces with their scores (spaces back to SentencePiece's ▁), token types (0 unknown, 1/2 control as {@code <s>}/{@code </s>}, {@code <0xNN>}
     * byte tokens, the rest normal), BOS 1, EOS 2, UNK 0.
     */
    public static Map<String, GgufValue> fromLlama2c(Path tokenizerBin, int vocabSize) {
        Llama2cTokenizerFile f = Llama2cTokenizerFile.read(tokenizerBin, vocabSize);
        String[] tokens = f.tokens().clone();
        int[] types = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (i == 0) {
                types[i] = 2;
            } else if (i == 1 || i == 2) {
                tokens[i] = tokens[i].strip(); // llama2.c exports them as "\n<s>\n"
                types[i] = 3;
            } else if (tokens[i].matches("<0x[0-9A-F]{2}>")) {
                types[i] = 6;
            } else {
                tokens[i] = tokens[i].replace(' ', '\u2581'); // llama2.c's exporter wrote SentencePiece's marker as a space
                types[i] = 1;
            }
        }
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", new GgufValue(GgufValueType.STRING, null, "llama"));
        m.put("tokenizer.ggml.tokens", new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, tokens));
        m.put("tokenizer.ggml.scores", new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, f.scores().clone()));
        m.put("tokenizer.ggml.token_type", new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, types));
        m.put("tokenizer.ggml.unknown_token_id", new GgufValue(GgufValueType.UINT32, null, 0L));
        m.put("tokenizer.ggml.bos_token_id", new GgufValue(GgufValueType.UINT32, null, 1L));
        m.put("tokenizer.ggml.eos_token_id", new GgufValue(GgufValueType.UINT32, null, 2L));
        return m;
    }
}
