package ai.tarka.finetune;

import ai.tarka.tokenizers.BoundaryTokens;
import ai.tarka.tokenizers.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A character tokenizer for tests: special tokens {@code <s>} (0, BOS, added by {@code encode(text, true)}),
 * {@code </s>} (1, EOS), {@code <|im_start|>} (2), {@code <|im_end|>} (3), then one id per printable ASCII character
 * and newline. Vocabulary 100.
 */
public final class TestTokenizer implements TextTokenizer {
    public static final List<String> SPECIAL = List.of("<s>", "</s>", "<|im_start|>", "<|im_end|>");
    public static final int BOS = 0, EOS = 1, VOCAB = 100;

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        int i = 0;
        outer:
        while (i < text.length()) {
            for (int s = 0; s < SPECIAL.size(); s++) {
                if (text.startsWith(SPECIAL.get(s), i)) {
                    ids.add(s);
                    i += SPECIAL.get(s).length();
                    continue outer;
                }
            }
            ids.add(charId(text.charAt(i++)));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int charId(char c) {
        if (c == '\n') return 4;
        if (c >= 32 && c < 127) return 5 + (c - 32);
        return 5 + ('?' - 32);
    }

    @Override
    public int[] encodeOrdinary(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = charId(text.charAt(i));
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id < SPECIAL.size()) sb.append(SPECIAL.get(id));
            else if (id == 4) sb.append('\n');
            else sb.append((char) (32 + id - 5));
        }
        return sb.toString();
    }

    @Override
    public BoundaryTokens boundaryTokens() {
        return BoundaryTokens.of(BOS, true, EOS, false);
    }
}
