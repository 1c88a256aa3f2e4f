package ai.tarka.finetune;

import ai.tarka.finetune.data.TokenizedSample;
import ai.tarka.tokenizers.TextTokenizer;

/**
 * {@code --debug} output of {@code tarka finetune preprocess}: each token of a sample as {@code (id, text, mask)},
 * mask 1 where the token is trained, in the style of Axolotl's debug printout; trained runs are also shown as text.
 */
public final class SampleDebug {
    private SampleDebug() {}

    public static String describe(TokenizedSample s, TextTokenizer tokenizer, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== ").append(title).append(": ").append(s.length()).append(" tokens, ").append(s.trainedCount()).append(" trained\n");
        for (int i = 0; i < s.length(); i++) {
            String text = tokenizer.decode(new int[] {s.tokens()[i]}).replace("\n", "\\n");
            sb.append('(').append(s.tokens()[i]).append(", ").append(text).append(", ").append(s.trained()[i] ? 1 : 0).append(") ");
        }
        sb.append('\n');
        int i = 0;
        while (i < s.length()) {
            if (!s.trained()[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < s.length() && s.trained()[j]) j++;
            sb.append("trained: ").append(tokenizer.decode(java.util.Arrays.copyOfRange(s.tokens(), i, j)).replace("\n", "\\n")).append('\n');
            i = j;
        }
        return sb.toString();
    }
}
