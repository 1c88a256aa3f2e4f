package ai.tarka.train.config;

/** A training config that cannot run: the message names the file, the key (and line when known) and the problem. */
public final class TrainConfigException extends RuntimeException {
    public TrainConfigException(String message) {
        super(message);
    }

    public TrainConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
