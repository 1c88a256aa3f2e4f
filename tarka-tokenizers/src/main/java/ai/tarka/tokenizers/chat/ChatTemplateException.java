package ai.tarka.tokenizers.chat;

/** A chat template failed to parse or render, or called {@code raise_exception}; the message names the template. */
public final class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) { super(message); }
    public ChatTemplateException(String message, Throwable cause) { super(message, cause); }
}
