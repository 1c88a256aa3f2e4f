package ai.tarka.tracking.store;

/** A tracking error carrying MLflow's error code, so the REST API can answer with the same code and status. */
public class TrackingException extends RuntimeException {
    private final ErrorCode code;

    public TrackingException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TrackingException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
