package ai.tarka.finetune.config;

/** A fine-tuning config that cannot run; the message names the file, the key and the problem. */
public final class FinetuneConfigException extends RuntimeException {
    public FinetuneConfigException(String message) {
        super(message);
    }

    public FinetuneConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
