package ai.tarka.eval.harness;

import ai.tarka.eval.report.ModelSpeed;
import java.util.List;

/** Everything measured for one model: its task results and (optionally) its speed. */
public record ModelResults(String model, List<TaskResult> tasks, ModelSpeed speed) {

    public TaskResult task(String name) {
        for (TaskResult t : tasks) if (t.task().equals(name)) return t;
        return null;
    }
}
