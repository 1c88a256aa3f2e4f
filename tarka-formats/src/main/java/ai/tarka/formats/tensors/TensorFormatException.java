package ai.tarka.formats.tensors;

/** A tensor file that cannot be read as its format says: the message names the file and what was wrong. */
public class TensorFormatException extends RuntimeException {
    public TensorFormatException(String message) {
        super(message);
    }

    public TensorFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
