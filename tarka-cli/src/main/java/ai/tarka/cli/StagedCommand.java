package ai.tarka.cli;

/** Implemented by top-level subcommands to say under which lifecycle stage the help lists them. */
public interface StagedCommand {
    default Stage stage() {
        return Stage.SYSTEM;
    }
}
