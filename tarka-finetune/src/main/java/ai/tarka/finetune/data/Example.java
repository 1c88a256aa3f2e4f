package ai.tarka.finetune.data;

import ai.tarka.tokenizers.chat.ChatMessage;
import java.util.List;

/** One training example before tokenization. */
public sealed interface Example {

    /** Chat turns, rendered through the chat template; assistant turns are trained. */
    record Chat(List<ChatMessage> messages) implements Example {
        public Chat {
            messages = List.copyOf(messages);
        }
    }

    /** A prompt followed by its completion (no template); the completion is trained. */
    record Completion(String prompt, String completion) implements Example {}

    /** Plain text; every token is trained. */
    record Text(String text) implements Example {}
}
