package ai.tarka.tracking.store;

/** One entry of an artifact listing: path relative to the run's artifact root, directory flag, size in bytes. */
public record ArtifactFile(String path, boolean isDir, long fileSize) {
}
