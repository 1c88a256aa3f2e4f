package ai.tarka.finetune.data;

/**
 * One example as token ids with, per token, whether it is trained (predicted and counted in the loss).
 *
 * @param tokens  token ids, BOS first when the tokenizer has one
 * @param trained {@code trained[i]}: token {@code i} is a training target (predicted from tokens {@code 0..i-1})
 */
public record TokenizedSample(int[] tokens, boolean[] trained) {
    public TokenizedSample {
        if (tokens.length != trained.length) {
            throw new IllegalArgumentException("TokenizedSample: " + tokens.length + " tokens but " + trained.length + " mask entries");
        }
    }

    public int length() {
        return tokens.length;
    }

    public int trainedCount() {
        int n = 0;
        for (boolean b : trained) if (b) n++;
        return n;
    }

    /** The first {@code n} tokens. */
    public TokenizedSample truncate(int n) {
        if (n >= tokens.length) return this;
        return new TokenizedSample(java.util.Arrays.copyOf(tokens, n), java.util.Arrays.copyOf(trained, n));
    }
}
