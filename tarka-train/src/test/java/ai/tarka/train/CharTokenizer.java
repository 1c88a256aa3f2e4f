package ai.tarka.train;

import ai.tarka.tokenizers.TextTokenizer;

/** Test-only character tokenizer over a fixed alphabet (unknown characters map to id 0). */
final class CharTokenizer implements TextTokenizer {
    final String alphabet;

    CharTokenizer(String alphabet) {
        this.alphabet = alphabet;
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = Math.max(0, alphabet.indexOf(text.charAt(i)));
        return ids;
    }

    @Override
    public int[] encodeOrdinary(String text) {
        return encode(text);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(alphabet.charAt(id));
        return sb.toString();
    }
}
