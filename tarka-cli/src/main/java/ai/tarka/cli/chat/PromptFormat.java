package ai.tarka.cli.chat;

import ai.tarka.tokenizers.chat.ChatMessage;
import ai.tarka.tokenizers.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;

/** How a conversation becomes the text the model continues, and which strings end the model's turn. */
public interface PromptFormat {
    /** The conversation as text, ending where the assistant's next answer starts. */
    String render(List<ChatMessage> messages);

    /** Text that ends an answer (held back from the output). */
    List<String> stopStrings();

    String name();

    /**
     * Plain continuation for base models: the contents one after another, no roles, no markers. The model's turns
     * continue the text exactly; before a typed turn a space is put where neither side brings whitespace, so typed
     * words do not fuse with the model's.
     */
    static PromptFormat plain() {
        return new PromptFormat() {
            @Override
            public String render(List<ChatMessage> messages) {
                StringBuilder b = new StringBuilder();
                for (ChatMessage m : messages) {
                    String c = m.content();
                    if (!m.role().equals("assistant") && !b.isEmpty() && !c.isEmpty() && !Character.isWhitespace(b.charAt(b.length() - 1))
                            && !Character.isWhitespace(c.charAt(0))) b.append(' ');
                    b.append(c);
                }
                return b.toString();
            }

            @Override
            public List<String> stopStrings() {
                return List.of();
            }

            @Override
            public String name() {
                return "none";
            }
        };
    }

    /** A chat template; its answers end at common end-of-turn markers and the tokenizer's {@code eos_token}. */
    static PromptFormat template(ChatTemplate template) {
        List<String> stops = new ArrayList<>(List.of("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>"));
        String eos = template.specialTokens().get("eos_token");
        if (eos != null && !eos.isEmpty() && !stops.contains(eos)) stops.add(eos);
        List<String> frozen = List.copyOf(stops);
        return new PromptFormat() {
            @Override
            public String render(List<ChatMessage> messages) {
                return template.render(messages, true).text();
            }

            @Override
            public List<String> stopStrings() {
                return frozen;
            }

            @Override
            public String name() {
                return template.name();
            }
        };
    }
}
