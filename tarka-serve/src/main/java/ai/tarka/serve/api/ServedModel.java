package ai.tarka.serve.api;

import ai.tarka.serve.engine.Engine;
import ai.tarka.tokenizers.TextTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;

/**
 * The model behind the API: its public name, the engine running it, the tokenizer and the chat template (null for a
 * base model: messages are then joined as plain text).
 *
 * @param bos      BOS id put in front of every prompt, or -1
 * @param adapters LoRA adapter names clients may send as {@code model}, with their engine ids (in listing order)
 */
public record ServedModel(String name, Engine engine, TextTokenizer tokenizer, ChatTemplate chatTemplate, int bos,
                          java.util.LinkedHashMap<String, Integer> adapters) {

    /** The adapter id of a requested model name: 0 for the base model, -1 when unknown. */
    public int adapterOf(String requested) {
        if (requested.equals(name)) return 0;
        Integer id = adapters.get(requested);
        return id == null ? -1 : id;
    }

    public int contextLength() {
        return engine.model().contextLength();
    }
}
