package ai.tarka.tokenizers.chat;

import java.util.List;

/**
 * A rendered conversation: the text, one span per message whose content could be located (in message order), and
 * warnings about the rendering (double BOS, a final assistant turn without end-of-turn, a content not found).
 */
public record RenderedChat(String text, List<MessageSpan> spans, List<String> warnings) {
    public RenderedChat {
        spans = List.copyOf(spans);
        warnings = List.copyOf(warnings);
    }
}
