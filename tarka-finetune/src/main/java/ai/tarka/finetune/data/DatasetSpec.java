package ai.tarka.finetune.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One entry of a config's {@code datasets} list.
 *
 * @param path          the file
 * @param type          how records become examples
 * @param fields        column mapping: {@code field_instruction}, {@code field_input}, {@code field_output},
 *                      {@code field_system}, {@code field_messages}, {@code message_field_role},
 *                      {@code message_field_content}, {@code field_prompt}, {@code field_completion},
 *                      {@code field_text} to the dataset's own column names
 * @param roles         the dataset's role names to the canonical ones ({@code human → user}); added to the defaults
 * @param trainOnInputs train on every token instead of only assistant turns / completions
 */
public record DatasetSpec(Path path, DatasetType type, Map<String, String> fields, Map<String, String> roles, boolean trainOnInputs) {
    public DatasetSpec {
        fields = Map.copyOf(fields);
        roles = Map.copyOf(roles);
    }

    public static DatasetSpec of(Path path, DatasetType type) {
        return new DatasetSpec(path, type, Map.of(), Map.of(), false);
    }

    /** The dataset's column for {@code key}, or {@code fallback} when the config does not map it. */
    public String field(String key, String fallback) {
        return fields.getOrDefault(key, fallback);
    }
}
