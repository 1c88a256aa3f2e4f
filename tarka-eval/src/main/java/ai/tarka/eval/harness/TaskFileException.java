package ai.tarka.eval.harness;

/** A task file or its data file is wrong; the message names the file and the field, column or line. */
public final class TaskFileException extends RuntimeException {
    public TaskFileException(String message) {
        super(message);
    }

    public TaskFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
