package ai.tarka.tokenizers.llama2c;

import ai.tarka.tokenizers.bpe.TokenizerFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The contents of a llama2.c {@code tokenizer.bin}: little-endian int32 {@code max_token_length}, then per token a
 * float32 score, an int32 byte length and that many UTF-8 bytes. The file does not store how many tokens it holds
 * (llama2.c takes that from the model header), so {@link #read(Path)} reads records up to the end of the file.
 *
 * @param tokens token text as stored (llama2.c spells SentencePiece's {@code ▁} as a plain space)
 */
public record Llama2cTokenizerFile(int maxTokenLength, String[] tokens, float[] scores) {
    /** Reads every token record up to the end of the file. */
    public static Llama2cTokenizerFile read(Path file) {
        return read(file, -1);
    }

    /** Reads exactly {@code vocabSize} token records (bytes after them are ignored, as llama2.c does). */
    public static Llama2cTokenizerFile read(Path file, int vocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama2.c tokenizer " + file, e);
        }
        return parse(bytes, file, vocabSize);
    }

    /** @param vocabSize the number of tokens, or -1 for "up to the end of the bytes" */
    static Llama2cTokenizerFile parse(byte[] bytes, Path file, int vocabSize) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) throw problem(file, 0, "truncated: " + bytes.length + " bytes, the int32 max_token_length needs 4");
        int maxTokenLength = in.getInt();
        if (maxTokenLength <= 0) throw problem(file, 0, "max_token_length is " + maxTokenLength + ", must be positive");
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> tokens = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        while (vocabSize < 0 ? in.hasRemaining() : tokens.size() < vocabSize) {
            int id = tokens.size();
            int at = in.position();
            if (in.remaining() < 8)
                throw problem(file, at, "truncated in token " + id + ": " + in.remaining() + " bytes left, its score and length need 8");
            float score = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxTokenLength)
                throw problem(file, at + 4, "token " + id + " has length " + length + ", outside 0.." + maxTokenLength + " (max_token_length)");
            if (in.remaining() < length)
                throw problem(file, in.position(), "truncated in token " + id + ": " + length + " bytes announced, " + in.remaining() + " left");
            int textAt = in.position();
            ByteBuffer text = in.slice(textAt, length);
            in.position(textAt + length);
            try {
                CharBuffer chars = utf8.reset().decode(text);
                tokens.add(chars.toString());
            } catch (CharacterCodingException e) {
                throw problem(file, textAt, "token " + id + " is not valid UTF-8");
            }
            scores.add(score);
        }
        float[] sc = new float[scores.size()];
        for (int i = 0; i < sc.length; i++) sc[i] = scores.get(i);
        return new Llama2cTokenizerFile(maxTokenLength, tokens.toArray(String[]::new), sc);
    }

    private static TokenizerFormatException problem(Path file, long offset, String what) {
        return new TokenizerFormatException(file, 0, "at byte offset " + offset + ": " + what);
    }

    public int vocabSize() {
        return tokens.length;
    }
}
