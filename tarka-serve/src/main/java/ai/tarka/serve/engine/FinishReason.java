package ai.tarka.serve.engine;

/** Why a sequence ended, as the API reports it ({@code abort} is internal: cancelled, no response is sent). */
public enum FinishReason {
    STOP("stop"), LENGTH("length"), ABORT("abort");

    private final String apiName;

    FinishReason(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
