package ai.tarka.finetune.data;

/** A dataset that cannot be used: the message names the file and the problem (column, record, line). */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
