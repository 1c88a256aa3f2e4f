package ai.tarka.data.prepare;

/** An input that cannot be turned into documents; the message names the file, the line where known, and the problem. */
public final class DataFormatException extends RuntimeException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
