package ai.tarka.cli;

/** Lifecycle stages that group the commands in {@code tarka --help}, in the order a user meets them. */
public enum Stage {
    DATA("Data and tokenizers"),
    MODEL("Models and training"),
    EVALUATE("Evaluation and tracking"),
    INFER("Inference and serving"),
    SYSTEM("Benchmarks and system");

    final String title;

    Stage(String title) {
        this.title = title;
    }
}
