package ai.tarka.tokenizers.chat;

/**
 * Where message {@code index}'s content lies in the rendered text: {@code text.substring(start, end)}.
 * When the template altered the content (stripped it, or dropped a {@code <think>} block from an earlier assistant
 * turn), the span covers the part of the content that appears in the text, as the template rendered it.
 */
public record MessageSpan(int index, String role, int start, int end) {
    public MessageSpan {
        if (index < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("message span: bad index/start/end " + index + "/" + start + "/" + end);
        }
    }
}
