package ai.tarka.tokenizers.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One turn of a conversation as chat templates see it: {@code role}, {@code content}, and any further fields a
 * template may read (for example {@code tool_calls}, {@code reasoning_content}, {@code name}).
 */
public record ChatMessage(String role, String content, Map<String, Object> extra) {
    public ChatMessage {
        Objects.requireNonNull(role, "chat message role");
        Objects.requireNonNull(content, "chat message content");
        // Insertion order kept (tojson of a message follows it) and null values allowed (templates test "is none").
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        if (extra.containsKey("role") || extra.containsKey("content")) {
            throw new IllegalArgumentException("chat message extra fields must not repeat role/content: " + extra.keySet());
        }
    }

    public ChatMessage(String role, String content) { this(role, content, Map.of()); }

    public static ChatMessage system(String content) { return new ChatMessage("system", content); }
    public static ChatMessage user(String content) { return new ChatMessage("user", content); }
    public static ChatMessage assistant(String content) { return new ChatMessage("assistant", content); }

    /** The message as the Jinja dict {@code {"role": ..., "content": ..., extra...}} (mutable: templates may read it as a dict). */
    Map<String, Object> asTemplateValue(String contentOverride) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", contentOverride);
        m.putAll(extra);
        return m;
    }
}
