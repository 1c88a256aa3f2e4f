package ai.tarka.train.checkpoint;

/** A checkpoint that could not be written or read; the message names the directory or file and the problem. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    public CheckpointException(String message) {
        super(message);
    }
}
