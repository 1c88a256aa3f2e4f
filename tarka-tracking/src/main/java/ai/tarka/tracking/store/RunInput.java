package ai.tarka.tracking.store;

/**
 * Something a run consumed: a dataset file or folder, a tokenizer or a config, identified by path (or name)
 * and a content digest, so two runs can be compared by what they read and not only by what they were told.
 *
 * @param kind   e.g. "dataset", "tokenizer", "config"
 * @param path   the path or name as given to the run
 * @param digest hex SHA-256 of the content ("" when unknown)
 */
public record RunInput(String kind, String path, String digest) {
}
