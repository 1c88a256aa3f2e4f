package ai.tarka.tracking.store;

/** MLflow's run states; the numbers are MLflow's protobuf enum values. */
public enum RunStatus {
    RUNNING(1), SCHEDULED(2), FINISHED(3), FAILED(4), KILLED(5);

    public final int protoNumber;

    RunStatus(int protoNumber) {
        this.protoNumber = protoNumber;
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }

    /** Parses a status name, naming the accepted values when it is unknown. */
    public static RunStatus parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid run status '" + name + "': expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
        }
    }
}
