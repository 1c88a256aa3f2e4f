package ai.tarka.tokenizers.llama2c;

import ai.tarka.tokenizers.spm.SentencePieceBpeTokenizer;
import java.nio.file.Path;

/**
 * Turns a llama2.c {@code tokenizer.bin} into a {@link SentencePieceBpeTokenizer} that encodes as llama2.c's
 * {@code run.c} does: a dummy prefix space, one symbol per code point, best-scoring merges first, and byte fallback
 * to the {@code <0xNN>} tokens. The file has no token types, so they follow the layout of llama2.c's exporter:
 * id 0 is unknown, ids 1 and 2 are BOS/EOS (control), tokens spelled {@code <0xNN>} are byte tokens, the rest normal.
 * Spaces in the stored text are turned back into SentencePiece's {@code ▁}, so the result has the same tokens,
 * scores and types as llama.cpp's conversion of the same file to GGUF.
 */
public final class Llama2cTokenizers {
    public static final int UNK = 0, BOS = 1, EOS = 2;

    private Llama2cTokenizers() {}

    public static SentencePieceBpeTokenizer load(Path tokenizerBin) {
        return fromFile(Llama2cTokenizerFile.read(tokenizerBin));
    }

    /** As {@link #load(Path)}, reading exactly the model's {@code vocabSize} tokens. */
    public static SentencePieceBpeTokenizer load(Path tokenizerBin, int vocabSize) {
        return fromFile(Llama2cTokenizerFile.read(tokenizerBin, vocabSize));
    }

    public static SentencePieceBpeTokenizer fromFile(Llama2cTokenizerFile file) {
        Vocabulary v = vocabulary(file);
        return new SentencePieceBpeTokenizer(v.tokens(), v.scores(), v.types(), UNK, true);
    }

    public static Vocabulary vocabulary(Llama2cTokenizerFile file) {
        int n = file.vocabSize();
        if (n <= EOS) throw new IllegalArgumentException("llama2.c tokenizer: " + n + " tokens, needs at least <unk>, BOS and EOS");
        String[] tokens = new String[n];
        int[] types = new int[n];
        for (int id = 0; id < n; id++) {
            String t = file.tokens()[id];
            // llama2.c's exporter stores BOS/EOS as "\n<s>\n" and "\n</s>\n"; SentencePiece (and GGUF) spell them "<s>", "</s>"
            tokens[id] = id == BOS || id == EOS ? t.strip() : t.replace(' ', '\u2581');
            types[id] = id == UNK ? SentencePieceBpeTokenizer.TYPE_UNKNOWN
                    : id == BOS || id == EOS ? SentencePieceBpeTokenizer.TYPE_CONTROL
                    : isByteToken(t) ? SentencePieceBpeTokenizer.TYPE_BYTE
                    : SentencePieceBpeTokenizer.TYPE_NORMAL;
        }
        return new Vocabulary(tokens, file.scores().clone(), types);
    }

    /** run.c's {@code encode(text, bos, eos)}: the tokenizer's ids, with BOS in front and EOS behind when asked. */
    public static int[] encode(SentencePieceBpeTokenizer tokenizer, String text, boolean bos, boolean eos) {
        int[] body = tokenizer.encode(text);
        int from = bos ? 1 : 0;
        int[] out = new int[body.length + from + (eos ? 1 : 0)];
        if (bos) out[0] = BOS;
        System.arraycopy(body, 0, out, from, body.length);
        if (eos) out[out.length - 1] = EOS;
        return out;
    }

    /** The token strings, scores and token types {@link #fromFile} gives the tokenizer, in SentencePiece spelling. */
    public record Vocabulary(String[] tokens, float[] scores, int[] types) {}

    private static boolean isByteToken(String t) {
        return t.length() == 6 && t.startsWith("<0x") && t.charAt(5) == '>'
                && Character.digit(t.charAt(3), 16) >= 0 && Character.digit(t.charAt(4), 16) >= 0;
    }
}
