package ai.tarka.tokenizers.hf;

/** One entry of {@code added_tokens}: matched in raw text whether or not it is special; {@code special} marks control tokens. */
public record HfAddedToken(int id, String content, boolean special) {}
