package ai.tarka.serve.api;

import ai.tarka.serve.engine.Engine;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;

/**
 * The model behind the API: its public name, the engine running it, the tokenizer and the chat template (null for a
 * base model: messages are then joined as plain text).
 *
 * @param bos BOS id put in front of every prompt, or -1
 */
public record ServedModel(String name, Engine engine, TextTokenizer tokenizer, ChatTemplate chatTemplate, int bos) {

    public int contextLength() {
        return engine.model().contextLength();
    }
}
