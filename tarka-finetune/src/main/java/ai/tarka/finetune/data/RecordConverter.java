package ai.tarka.finetune.data;

import ai.tarka.tokenizers.chat.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a dataset's records into {@link Example}s following its {@link DatasetSpec}: column mapping, role mapping.
 * Every column the format needs is checked on every record; a missing one stops with the record number and the
 * columns the record has.
 */
public final class RecordConverter {
    /** ShareGPT and OpenAI role names that mean the canonical roles. */
    private static final Map<String, String> DEFAULT_ROLES = Map.of(
            "human", "user", "user", "user", "gpt", "assistant", "assistant", "assistant", "model", "assistant",
            "bot", "assistant", "system", "system", "tool", "tool");

    private final DatasetSpec spec;
    private final Map<String, String> roles;

    public RecordConverter(DatasetSpec spec) {
        this.spec = spec;
        this.roles = new HashMap<>(DEFAULT_ROLES);
        this.roles.putAll(spec.roles());
    }

    public List<Example> convert(List<JsonNode> records) {
        if (records.isEmpty()) throw new DatasetException("dataset " + spec.path() + " is empty (no records)");
        List<Example> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) out.add(convert(records.get(i), i));
        return out;
    }

    Example convert(JsonNode rec, int index) {
        return switch (spec.type()) {
            case ALPACA -> alpaca(rec, index);
            case SHAREGPT -> turns(rec, index, spec.field("field_messages", "conversations"),
                    spec.field("message_field_role", "from"), spec.field("message_field_content", "value"));
            case MESSAGES -> turns(rec, index, spec.field("field_messages", "messages"),
                    spec.field("message_field_role", "role"), spec.field("message_field_content", "content"));
            case PROMPT_COMPLETION -> new Example.Completion(text(rec, index, "field_prompt", "prompt", true),
                    text(rec, index, "field_completion", "completion", true));
            case TEXT -> new Example.Text(text(rec, index, "field_text", "text", true));
        };
    }

    private Example alpaca(JsonNode rec, int index) {
        String instruction = text(rec, index, "field_instruction", "instruction", true);
        String input = text(rec, index, "field_input", "input", false);
        String output = text(rec, index, "field_output", "output", true);
        String system = text(rec, index, "field_system", "system", false);
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) messages.add(ChatMessage.system(system));
        messages.add(ChatMessage.user(input == null || input.isBlank() ? instruction : instruction + "\n\n" + input));
        messages.add(ChatMessage.assistant(output));
        return new Example.Chat(messages);
    }

    private Example turns(JsonNode rec, int index, String listField, String roleField, String contentField) {
        JsonNode list = rec.get(listField);
        if (list == null) {
            throw new DatasetException("dataset " + spec.path() + ": unknown column '" + listField + "' for type " + spec.type().configName()
                    + ": record " + index + " has columns " + names(rec) + "; map the right one with field_messages: <column>");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new DatasetException("dataset " + spec.path() + ": record " + index + ": column '" + listField + "' must be a non-empty list of turns");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int t = 0; t < list.size(); t++) {
            JsonNode turn = list.get(t);
            String where = "record " + index + " turn " + t;
            JsonNode role = turn.get(roleField), content = turn.get(contentField);
            if (role == null || content == null) {
                throw new DatasetException("dataset " + spec.path() + ": " + where + " lacks '" + (role == null ? roleField : contentField)
                        + "'; it has " + names(turn) + " (map them with message_field_role / message_field_content)");
            }
            String canonical = roles.get(role.asText());
            if (canonical == null) {
                throw new DatasetException("dataset " + spec.path() + ": " + where + " has role '" + role.asText()
                        + "' that maps to no chat role; add it under 'roles' (known: " + roles.keySet() + ")");
            }
            messages.add(new ChatMessage(canonical, content.asText()));
        }
        return new Example.Chat(messages);
    }

    private String text(JsonNode rec, int index, String key, String fallback, boolean required) {
        String field = spec.field(key, fallback);
        JsonNode v = rec.get(field);
        if (v == null && required) {
            throw new DatasetException("dataset " + spec.path() + ": unknown column '" + field + "' for type " + spec.type().configName()
                    + ": record " + index + " has columns " + names(rec) + "; map the right one with " + key + ": <column>");
        }
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new LinkedHashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
