package ai.tarka.tracking.store;

/** MLflow's error codes with the HTTP status its server answers them with. */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    RESOURCE_DOES_NOT_EXIST(404),
    RESOURCE_ALREADY_EXISTS(400),
    INVALID_STATE(400),
    BAD_REQUEST(400),
    ENDPOINT_NOT_FOUND(404),
    INTERNAL_ERROR(500);

    public final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }
}
