package ai.tarka.tokenizers.wordpiece;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's "basic tokenizer" for uncased models: drops NUL, U+FFFD and control characters, splits on whitespace,
 * lowercases, strips accents (NFD then drops non-spacing marks), and makes every punctuation character and every CJK
 * ideograph a word of its own.
 */
public final class BertPreTokenizer {
    private final boolean lowercaseAndStripAccents;

    public BertPreTokenizer(boolean lowercaseAndStripAccents) {
        this.lowercaseAndStripAccents = lowercaseAndStripAccents;
    }

    public List<String> words(String text) {
        String s = lowercaseAndStripAccents ? Normalizer.normalize(text.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD) : text;
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(word, words);
            } else if (cp == 0 || cp == 0xFFFD || isControl(cp)
                    || (lowercaseAndStripAccents && Character.getType(cp) == Character.NON_SPACING_MARK)) {
                // dropped without ending the word
            } else if (isPunctuation(cp) || isCjk(cp)) {
                flush(word, words);
                words.add(Character.toString(cp));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Control and format characters other than the whitespace ones (so zero-width joiners vanish). */
    static boolean isControl(int cp) {
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT;
    }

    /** Unicode P* plus every non-alphanumeric printable ASCII character, as BERT treats "$", "+", "^", "`" etc. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
            return true;
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideograph blocks BERT splits per character (not Hangul, Hiragana or Katakana). */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
