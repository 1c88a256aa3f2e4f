package ai.tarka.eval.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSpecsTest {
    @TempDir
    Path dir;

    static final String GOOD = """
            task: toy
            dataset_path: toy.tsv
            columns: [sentence, label]
            output_type: multiple_choice
            doc_to_text: "Review: {{ sentence }}\\nSentiment:"
            doc_to_target: label
            doc_to_choice: ["negative", "positive"]
            metric_list: [acc, acc_norm]
            """;

    Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void builtInTasksParseAndTheirDataBinds() {
        for (String name : TaskSpecs.BUILT_IN) {
            TaskSpec t = TaskSpecs.resolve(name);
            assertThat(t.name()).isEqualTo(name);
            if (t.outputType() != TaskSpec.OutputType.LOGLIKELIHOOD_ROLLING) {
                Harness.Bound b = Harness.Bound.of(t);
                assertThat(b.docs().rows()).as(name).hasSizeGreaterThan(100);
                assertThat(b.context(0)).as(name).isNotBlank();
                assertThat(b.target().text(b.docs().rows().getFirst())).as(name).isNotBlank();
            }
        }
    }

    @Test
    void missingFieldIsNamed() throws Exception {
        Path f = write("t.yaml", GOOD.replace("output_type: multiple_choice\n", ""));
        assertThatThrownBy(() -> TaskSpecs.load(f)).isInstanceOf(TaskFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("missing required field 'output_type'");
        Path g = write("u.yaml", GOOD.replace("doc_to_choice: [\"negative\", \"positive\"]\n", ""));
        assertThatThrownBy(() -> TaskSpecs.load(g)).hasMessageContaining("missing required field 'doc_to_choice'");
    }

    @Test
    void unknownFieldAndWrongMetricAreNamed() throws Exception {
        Path f = write("t.yaml", GOOD + "num_fewshots: 3\n");
        assertThatThrownBy(() -> TaskSpecs.load(f)).hasMessageContaining("unknown field 'num_fewshots'");
        Path g = write("u.yaml", GOOD.replace("[acc, acc_norm]", "[acc, bleu]"));
        assertThatThrownBy(() -> TaskSpecs.load(g)).hasMessageContaining("metric 'bleu'").hasMessageContaining("multiple_choice");
        Path h = write("v.yaml", GOOD.replace("output_type: multiple_choice", "output_type: generate_until")
                .replace("doc_to_choice: [\"negative\", \"positive\"]\n", "")
                .replace("[acc, acc_norm]", "[{metric: rougeL, use_stemer: true}]"));
        assertThatThrownBy(() -> TaskSpecs.load(h)).hasMessageContaining("metric 'rougeL' has no option 'use_stemer'")
                .hasMessageContaining("use_stemmer");
    }

    @Test
    void dataFileWithAWrongColumnIsRejectedNamingColumnAndFile() throws Exception {
        Path data = write("toy.tsv", "great\t1\nawful\t0\n");
        Path f = write("t.yaml", GOOD.replace("doc_to_target: label", "doc_to_target: labels"));
        TaskSpec t = TaskSpecs.load(f);
        assertThatThrownBy(() -> Harness.Bound.of(t)).isInstanceOf(TaskFileException.class)
                .hasMessageContaining("doc_to_target").hasMessageContaining("'labels'").hasMessageContaining(data.toString());
        Path g = write("u.yaml", GOOD.replace("{{ sentence }}", "{{ text }}"));
        TaskSpec u = TaskSpecs.load(g);
        assertThatThrownBy(() -> Harness.Bound.of(u)).isInstanceOf(TaskFileException.class)
                .hasMessageContaining("doc_to_text").hasMessageContaining("'text'").hasMessageContaining(data.toString());
    }

    @Test
    void csvWithHeaderAndJsonlLoad() throws Exception {
        write("toy.csv", "sentence,label\n\"great, really\",1\n\"said \"\"meh\"\"\",0\n");
        Path f = write("t.yaml", GOOD.replace("toy.tsv", "toy.csv").replace("columns: [sentence, label]\n", ""));
        Harness.Bound b = Harness.Bound.of(TaskSpecs.load(f));
        assertThat(b.docs().rows().get(0).get("sentence")).isEqualTo("great, really");
        assertThat(b.docs().rows().get(1).get("sentence")).isEqualTo("said \"meh\"");
        write("toy.jsonl", "{\"sentence\": \"ok\", \"label\": 1}\n{\"sentence\": \"bad\"}\n");
        Path g = write("u.yaml", GOOD.replace("toy.tsv", "toy.jsonl").replace("columns: [sentence, label]\n", ""));
        assertThatThrownBy(() -> Harness.Bound.of(TaskSpecs.load(g))).hasMessageContaining("'label'").hasMessageContaining("toy.jsonl");
    }

    @Test
    void csvRowWithTooFewFieldsIsNamed() throws Exception {
        write("toy.csv", "sentence,label\ngreat,1\nbad\n");
        Path f = write("t.yaml", GOOD.replace("toy.tsv", "toy.csv").replace("columns: [sentence, label]\n", ""));
        assertThatThrownBy(() -> Harness.Bound.of(TaskSpecs.load(f))).hasMessageContaining("row 3 has 1 fields");
    }
}
