package ai.tarka.tracking.hpo;

/** Optuna's trial states (RUNNING only while a trial is in progress). */
public enum TrialState {
    RUNNING, COMPLETE, PRUNED, FAIL;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
