package ai.tarka.cli.eval;

import ai.tarka.eval.harness.TaskSpec;
import ai.tarka.eval.harness.TaskSpecs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code tarka eval} and {@code tarka bench models} share: task lists and the samples file. */
final class EvalSetup {
    private EvalSetup() {}

    static List<TaskSpec> tasks(String csv) {
        List<TaskSpec> out = new ArrayList<>();
        for (String t : csv.split(",")) if (!t.isBlank()) out.add(TaskSpecs.resolve(t.strip()));
        if (out.isEmpty()) throw new IllegalArgumentException("--tasks: no task named (built-in: " + String.join(", ", TaskSpecs.BUILT_IN) + ")");
        return out;
    }

    /** Where {@code --log-samples} writes: beside the results file, or {@code samples.jsonl}. */
    static Writer samplesWriter(Path output) throws IOException {
        Path f = output == null ? Path.of("samples.jsonl")
                : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.json$", "") + ".samples.jsonl");
        BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8);
        System.err.println("logging samples to " + f);
        return w;
    }
}
