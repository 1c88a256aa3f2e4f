package ai.tarka.tracking.store;

import java.util.List;

/**
 * The schema's history. Each step moves the database from version {@code n-1} to {@code n}; steps are never
 * edited once released, only appended, so any older database can be brought forward in order.
 */
final class Migrations {
    record Step(int version, String description, List<String> statements) {
    }

    static final List<Step> STEPS = List.of(
            new Step(1, "experiments, runs, params, tags, metrics", List.of(
                    """
                    CREATE TABLE experiments (
                      experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
                      name TEXT NOT NULL UNIQUE,
                      artifact_location TEXT NOT NULL,
                      lifecycle_stage TEXT NOT NULL DEFAULT 'active',
                      creation_time INTEGER NOT NULL,
                      last_update_time INTEGER NOT NULL)""",
                    """
                    CREATE TABLE experiment_tags (
                      experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                      key TEXT NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (experiment_id, key))""",
                    """
                    CREATE TABLE runs (
                      run_uuid TEXT PRIMARY KEY,
                      experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                      name TEXT NOT NULL,
                      status TEXT NOT NULL,
                      start_time INTEGER NOT NULL,
                      end_time INTEGER,
                      parent_run_id TEXT,
                      lifecycle_stage TEXT NOT NULL DEFAULT 'active',
                      artifact_uri TEXT NOT NULL,
                      heartbeat INTEGER NOT NULL DEFAULT 0,
                      error TEXT)""",
                    "CREATE INDEX runs_by_experiment ON runs(experiment_id, start_time)",
                    "CREATE INDEX runs_by_parent ON runs(parent_run_id)",
                    """
                    CREATE TABLE params (
                      run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
                      key TEXT NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (run_uuid, key))""",
                    """
                    CREATE TABLE tags (
                      run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
                      key TEXT NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (run_uuid, key))""",
                    // Append-only history: no primary key beyond the rowid, so logging the same (key, step) twice keeps both.
                    """
                    CREATE TABLE metrics (
                      run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
                      key TEXT NOT NULL, value REAL, is_nan INTEGER NOT NULL DEFAULT 0,
                      step INTEGER NOT NULL, timestamp INTEGER NOT NULL)""",
                    "CREATE INDEX metrics_by_run_key ON metrics(run_uuid, key, step)",
                    """
                    CREATE TABLE latest_metrics (
                      run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
                      key TEXT NOT NULL, value REAL, is_nan INTEGER NOT NULL DEFAULT 0,
                      step INTEGER NOT NULL, timestamp INTEGER NOT NULL,
                      PRIMARY KEY (run_uuid, key))""")),
            new Step(2, "run inputs (datasets, tokenizers, configs with content digests)", List.of(
                    """
                    CREATE TABLE run_inputs (
                      run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
                      kind TEXT NOT NULL, path TEXT NOT NULL, digest TEXT NOT NULL,
                      PRIMARY KEY (run_uuid, kind, path))""")));

    static int latestVersion() {
        return STEPS.getLast().version();
    }

    private Migrations() {
    }
}
