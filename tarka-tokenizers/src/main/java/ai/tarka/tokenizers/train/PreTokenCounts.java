package ai.tarka.tokenizers.train;

/**
 * Distinct pre-tokens as UTF-8 byte strings, sorted by their text, with how often each occurs.
 *
 * @param words  the distinct pre-tokens' bytes
 * @param counts occurrences of {@code words[i]}
 */
record PreTokenCounts(byte[][] words, long[] counts) {}
