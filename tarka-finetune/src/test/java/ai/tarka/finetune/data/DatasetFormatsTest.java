package ai.tarka.finetune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.tarka.finetune.TestTokenizer;
import ai.tarka.tokenizers.chat.ChatTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each dataset format's trained tokens are exactly the assistant (or completion) spans plus their end marker. */
class DatasetFormatsTest {
    @TempDir
    Path dir;

    private final TestTokenizer tok = new TestTokenizer();
    private final List<String> warnings = new ArrayList<>();

    private SampleEncoder encoder(String builtin) {
        ChatTemplate t = builtin == null ? null
                : ChatTemplate.builtin(builtin, ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), true);
        return new SampleEncoder(tok, t, TestTokenizer.BOS, TestTokenizer.EOS, warnings::add);
    }

    private List<TokenizedSample> run(String file, String content, DatasetSpec spec, String template) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, content);
        DatasetSpec s = new DatasetSpec(p, spec.type(), spec.fields(), spec.roles(), spec.trainOnInputs());
        List<Example> examples = new RecordConverter(s).convert(RawRecords.read(p));
        SampleEncoder enc = encoder(template);
        List<TokenizedSample> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) out.add(enc.encode(examples.get(i), s.trainOnInputs(), "record " + i));
        return out;
    }

    /** The trained tokens decoded, contiguous trained runs joined with '|'. */
    private String trainedText(TokenizedSample s) {
        StringBuilder sb = new StringBuilder();
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && s.trained()[i]) {
                run.add(s.tokens()[i]);
            } else if (!run.isEmpty()) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(tok.decode(run.stream().mapToInt(Integer::intValue).toArray()));
                run.clear();
            }
        }
        return sb.toString();
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("alpaca.json", """
                        [{"instruction": "Add 2 and 3.", "input": "", "output": "5"},
                         {"instruction": "Translate", "input": "chat", "output": "cat", "system": "Be brief."}]""",
                        DatasetSpec.of(null, DatasetType.ALPACA), "alpaca", List.of("5</s>", "cat</s>")),
                Arguments.of("share.jsonl", """
                        {"conversations": [{"from": "system", "value": "S"}, {"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}, {"from": "human", "value": "bye"}, {"from": "gpt", "value": "ciao"}]}
                        """, DatasetSpec.of(null, DatasetType.SHAREGPT), "chatml", List.of("hello<|im_end|>|ciao<|im_end|>")),
                Arguments.of("share-mapped.jsonl", """
                        {"chat": [{"who": "asker", "text": "q1"}, {"who": "answerer", "text": "a1"}]}
                        """, new DatasetSpec(null, DatasetType.SHAREGPT,
                        Map.of("field_messages", "chat", "message_field_role", "who", "message_field_content", "text"),
                        Map.of("asker", "user", "answerer", "assistant"), false), "chatml", List.of("a1<|im_end|>")),
                Arguments.of("messages.jsonl", """
                        {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}, {"role": "user", "content": "3+3?"}, {"role": "assistant", "content": "6"}]}
                        """, DatasetSpec.of(null, DatasetType.MESSAGES), "chatml", List.of("4<|im_end|>|6<|im_end|>")),
                Arguments.of("pc.csv", "prompt,completion\n\"Say \"\"yes\"\"\",\"yes, sir\"\nQ,A\n",
                        DatasetSpec.of(null, DatasetType.PROMPT_COMPLETION), null, List.of("yes, sir</s>", "A</s>")),
                Arguments.of("plain.txt", "first para\nline two\n\nsecond\n",
                        DatasetSpec.of(null, DatasetType.TEXT), null, List.of("first para\nline two</s>", "second</s>")),
                Arguments.of("alpaca-all.json", """
                        [{"instruction": "I", "input": "", "output": "O"}]""",
                        new DatasetSpec(null, DatasetType.ALPACA, Map.of(), Map.of(), true), "alpaca",
                        List.of("### Instruction:\nI\n\n### Response:\nO</s>\n\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void trainedTokensAreTheAssistantSpans(String file, String content, DatasetSpec spec, String template, List<String> expected)
            throws IOException {
        List<TokenizedSample> samples = run(file, content, spec, template);
        assertThat(samples).hasSize(expected.size());
        for (int i = 0; i < samples.size(); i++) {
            TokenizedSample s = samples.get(i);
            assertThat(trainedText(s)).as("sample %d", i).isEqualTo(expected.get(i));
            assertThat(s.tokens()[0]).isEqualTo(TestTokenizer.BOS);
            assertThat(java.util.Arrays.stream(s.tokens()).filter(t -> t == TestTokenizer.BOS).count()).isEqualTo(1);
        }
    }

    @Test
    void templateWritingBosIsNotDoubled() throws IOException {
        List<TokenizedSample> s = run("l3.jsonl", """
                {"messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]}
                """, DatasetSpec.of(null, DatasetType.MESSAGES), null == null ? "llama3" : null);
        // llama3's end-of-turn marker is not a token of this tokenizer: trained anyway, with a warning
        assertThat(s.get(0).tokens()[0]).isEqualTo(TestTokenizer.BOS);
        assertThat(s.get(0).tokens()[1]).isNotEqualTo(TestTokenizer.BOS);
        assertThat(warnings).anyMatch(w -> w.contains("starts with BOS")).anyMatch(w -> w.contains("<|eot_id|> is not one token"));
        assertThat(trainedText(s.get(0))).isEqualTo("a<|eot_id|>");
    }

    @Test
    void templateDroppingEosStops() throws IOException {
        Path p = dir.resolve("m.jsonl");
        Files.writeString(p, "{\"messages\": [{\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
        ChatTemplate noEos = ChatTemplate.of("no-eos", "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}",
                ChatTemplate.tokens("bos_token", "<s>", "eos_token", "</s>"), true);
        Example ex = new RecordConverter(DatasetSpec.of(p, DatasetType.MESSAGES)).convert(RawRecords.read(p)).get(0);
        SampleEncoder enc = new SampleEncoder(tok, noEos, TestTokenizer.BOS, TestTokenizer.EOS, null);
        assertThatThrownBy(() -> enc.encode(ex, false, "m.jsonl record 0"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("drops EOS").hasMessageContaining("no-eos");
    }

    @Test
    void unknownColumnIsNamed() throws IOException {
        Path p = dir.resolve("a.jsonl");
        Files.writeString(p, "{\"question\": \"q\", \"answer\": \"a\"}\n");
        assertThatThrownBy(() -> new RecordConverter(DatasetSpec.of(p, DatasetType.ALPACA)).convert(RawRecords.read(p)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown column 'instruction'").hasMessageContaining("[question, answer]")
                .hasMessageContaining("field_instruction");
    }

    @Test
    void emptyDatasetStops() throws IOException {
        Path p = dir.resolve("e.jsonl");
        Files.writeString(p, "\n");
        List<JsonNode> recs = RawRecords.read(p);
        assertThatThrownBy(() -> new RecordConverter(DatasetSpec.of(p, DatasetType.ALPACA)).convert(recs))
                .hasMessageContaining("e.jsonl is empty");
    }

    @Test
    void unmappedRoleIsNamed() throws IOException {
        Path p = dir.resolve("s.jsonl");
        Files.writeString(p, "{\"conversations\": [{\"from\": \"narrator\", \"value\": \"x\"}]}\n");
        assertThatThrownBy(() -> new RecordConverter(DatasetSpec.of(p, DatasetType.SHAREGPT)).convert(RawRecords.read(p)))
                .hasMessageContaining("role 'narrator'").hasMessageContaining("roles");
    }
}
