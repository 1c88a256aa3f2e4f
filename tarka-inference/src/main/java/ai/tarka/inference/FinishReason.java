package ai.tarka.inference;

/** Why generation ended. */
public enum FinishReason {
    LENGTH, STOP_TOKEN, STOP_STRING, CONTEXT_FULL
}
