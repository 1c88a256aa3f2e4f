package ai.tarka.tokenizers.chat;

import java.util.List;

/**
 * Chat formats for models whose tokenizer has no {@code chat_template}, written from the public format
 * descriptions.
 * <ul>
 * <li>{@code chatml}: {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n} per message; the generation prompt is
 * {@code <|im_start|>assistant\n}.</li>
 * <li>{@code llama3}: {@code bos_token}, then {@code <|start_header_id|>ROLE<|end_header_id|>\n\nCONTENT<|eot_id|>}
 * per message (content stripped, as Meta's reference formatter does); the generation prompt is the assistant
 * header.</li>
 * <li>{@code alpaca}: an optional system preamble paragraph, then {@code ### Instruction:\n} for user turns and
 * {@code ### Response:\n} for assistant turns, blocks separated by a blank line; an assistant response ends with
 * {@code eos_token} (nothing when the tokenizer has none); the generation prompt is {@code ### Response:\n}.</li>
 * </ul>
 */
final class BuiltinTemplates {
    private BuiltinTemplates() {}

    static final List<String> NAMES = List.of("chatml", "llama3", "alpaca");

    static String source(String name) {
        return switch (name) {
            case "chatml" -> CHATML;
            case "llama3" -> LLAMA3;
            case "alpaca" -> ALPACA;
            default -> throw new IllegalArgumentException("unknown built-in chat template '" + name + "'; known: " + NAMES);
        };
    }

    private static final String CHATML = """
            {%- for message in messages -%}
            {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
            {{- '<|im_start|>assistant\\n' -}}
            {%- endif -%}
            """;

    private static final String LLAMA3 = """
            {{- bos_token -}}
            {%- for message in messages -%}
            {{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content.strip() + '<|eot_id|>' -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
            {%- endif -%}
            """;

    private static final String ALPACA = """
            {%- for message in messages -%}
            {%- if message.role == 'system' -%}
            {{- message.content + '\\n\\n' -}}
            {%- elif message.role == 'user' -%}
            {{- '### Instruction:\\n' + message.content + '\\n\\n' -}}
            {%- elif message.role == 'assistant' -%}
            {{- '### Response:\\n' + message.content -}}{{- eos_token -}}{{- '\\n\\n' -}}
            {%- else -%}
            {{- raise_exception('alpaca has no role ' + message.role) -}}
            {%- endif -%}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
            {{- '### Response:\\n' -}}
            {%- endif -%}
            """;
}
