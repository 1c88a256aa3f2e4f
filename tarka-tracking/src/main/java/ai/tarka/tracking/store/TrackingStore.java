package ai.tarka.tracking.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The run store: experiments, runs, params, tags, metrics, inputs and artifacts in one SQLite database
 * ({@code tracking.db}) plus an {@code artifacts/} folder beside it. Safe to share between threads and
 * between processes. Follows MLflow's semantics: params are immutable, metric history is append-only,
 * the latest metric is the one with the highest (step, timestamp).
 */
public final class TrackingStore implements AutoCloseable {
    public static final String DB_FILE = "tracking.db";
    public static final String DEFAULT_EXPERIMENT = "Default";
    /** How old a RUNNING run's heartbeat may be before the run is reported KILLED. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    private final Path dir;
    private final SqliteDatabase db;
    private final LongSupplier clock;
    private final long staleAfterMs;

    private TrackingStore(Path dir, SqliteDatabase db, LongSupplier clock, Duration staleAfter) {
        this.dir = dir;
        this.db = db;
        this.clock = clock;
        this.staleAfterMs = staleAfter.toMillis();
    }

    /** Opens (creating and migrating if needed) the store in {@code dir}. */
    public static TrackingStore open(Path dir) {
        return open(dir, DEFAULT_STALE_AFTER, System::currentTimeMillis);
    }

    public static TrackingStore open(Path dir, Duration staleAfter, LongSupplier clock) {
        Path abs = dir.toAbsolutePath();
        return new TrackingStore(abs, SqliteDatabase.open(abs.resolve(DB_FILE)), clock, staleAfter);
    }

    public Path dir() {
        return dir;
    }

    public Path databaseFile() {
        return db.file();
    }

    public long now() {
        return clock.getAsLong();
    }

    public int schemaVersion() {
        return db.read(c -> db.currentVersion());
    }

    // ---------------------------------------------------------------- experiments

    public String createExperiment(String name, String artifactLocation, Map<String, String> tags) {
        if (name == null || name.isBlank()) throw Limits.invalid("Experiment name must not be empty");
        if (getExperimentByName(name).isPresent()) {
            throw new TrackingException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
        }
        long now = now();
        return db.write(c -> {
            if (findExperimentId(c, name) != null) {
                throw new TrackingException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
            }
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO experiments(name, artifact_location, creation_time, last_update_time) VALUES (?, '', ?, ?)")) {
                p.setString(1, name);
                p.setLong(2, now);
                p.setLong(3, now);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("SELECT last_insert_rowid()"); ResultSet rs = p.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            String location = artifactLocation == null || artifactLocation.isBlank()
                    ? dir.resolve("artifacts").resolve(Long.toString(id)).toUri().toString() : artifactLocation;
            try (PreparedStatement p = c.prepareStatement("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?")) {
                p.setString(1, location);
                p.setLong(2, id);
                p.executeUpdate();
            }
            if (tags != null) {
                for (Map.Entry<String, String> t : tags.entrySet()) {
                    Limits.checkTag(t.getKey(), t.getValue());
                    upsertExperimentTag(c, id, t.getKey(), t.getValue());
                }
            }
            return Long.toString(id);
        });
    }

    /** The experiment called {@code name}, created if missing (safe when several processes race). */
    public String experimentId(String name) {
        Optional<Experiment> e = getExperimentByName(name);
        if (e.isPresent()) return e.get().id();
        try {
            return createExperiment(name, null, Map.of());
        } catch (TrackingException ex) {
            if (ex.code() == ErrorCode.RESOURCE_ALREADY_EXISTS) return getExperimentByName(name).orElseThrow().id();
            throw ex;
        }
    }

    public void setExperimentTag(String experimentId, String key, String value) {
        Limits.checkTag(key, value);
        long id = parseExperimentId(experimentId);
        getExperiment(experimentId);
        db.write(c -> {
            upsertExperimentTag(c, id, key, value);
            return null;
        });
    }

    private static void upsertExperimentTag(Connection c, long id, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO experiment_tags VALUES (?, ?, ?) ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value")) {
            p.setLong(1, id);
            p.setString(2, key);
            p.setString(3, value);
            p.executeUpdate();
        }
    }

    private static Long findExperimentId(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT experiment_id FROM experiments WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static long parseExperimentId(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (RuntimeException e) {
            throw new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + id + " exists");
        }
    }

    public Experiment getExperiment(String experimentId) {
        long id = parseExperimentId(experimentId);
        return listExperiments("WHERE experiment_id = " + id).stream().findFirst().orElseThrow(() ->
                new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + experimentId + " exists"));
    }

    public Optional<Experiment> getExperimentByName(String name) {
        return db.read(c -> {
            Long id = findExperimentId(c, name);
            return id == null ? Optional.<Experiment>empty() : listExperiments("WHERE experiment_id = " + id).stream().findFirst();
        });
    }

    /** All experiments the view type accepts, in id order. */
    public List<Experiment> searchExperiments(ViewType view) {
        List<Experiment> all = listExperiments("");
        return all.stream().filter(e -> view.accepts(e.lifecycleStage())).toList();
    }

    private List<Experiment> listExperiments(String where) {
        return db.read(c -> {
            Map<Long, Map<String, String>> tags = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT experiment_id, key, value FROM experiment_tags");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            }
            List<Experiment> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time FROM experiments "
                    + where + " ORDER BY experiment_id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.add(new Experiment(Long.toString(id), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), Map.copyOf(tags.getOrDefault(id, Map.of()))));
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- runs

    /**
     * Creates a RUNNING run. {@code heartbeat} true marks it as one whose process sends heartbeats, so it is
     * reported KILLED once they stop; MLflow clients send none.
     */
    public RunInfo createRun(String experimentId, String runName, long startTime, String parentRunId,
                             Map<String, String> tags, boolean heartbeat) {
        Experiment exp = getExperiment(experimentId);
        if (!"active".equals(exp.lifecycleStage())) {
            throw new TrackingException(ErrorCode.INVALID_STATE, "The experiment " + experimentId + " must be in the 'active' state.");
        }
        if (parentRunId != null) getRunInfo(parentRunId);
        String runId = UUID.randomUUID().toString().replace("-", "");
        String name = runName == null || runName.isBlank() ? RunNames.generate(runId) : runName;
        String artifactUri = exp.artifactLocation().replaceAll("/+$", "") + "/" + runId + "/artifacts";
        long hb = heartbeat ? now() : 0;
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs(run_uuid, experiment_id, name, status, start_time, parent_run_id, artifact_uri, heartbeat) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?)")) {
                p.setString(1, runId);
                p.setLong(2, parseExperimentId(experimentId));
                p.setString(3, name);
                p.setLong(4, startTime);
                p.setString(5, parentRunId);
                p.setString(6, artifactUri);
                p.setLong(7, hb);
                p.executeUpdate();
            }
            Map<String, String> all = new LinkedHashMap<>();
            if (tags != null) all.putAll(tags);
            all.put("mlflow.runName", name);
            if (parentRunId != null) all.put("mlflow.parentRunId", parentRunId);
            for (Map.Entry<String, String> t : all.entrySet()) {
                Limits.checkTag(t.getKey(), t.getValue());
                upsertTag(c, runId, t.getKey(), t.getValue());
            }
            return null;
        });
        return getRunInfo(runId);
    }

    public RunInfo getRunInfo(String runId) {
        List<RunInfo> l = queryRunInfos("WHERE run_uuid = ?", runId);
        if (l.isEmpty()) throw runNotFound(runId);
        return l.getFirst();
    }

    static TrackingException runNotFound(String runId) {
        return new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Run with id=" + runId + " not found");
    }

    public Run getRun(String runId) {
        RunInfo info = getRunInfo(runId);
        return loadRuns(List.of(info)).getFirst();
    }

    /** Runs of the given experiments whose lifecycle stage the view accepts, newest first, with their data. */
    public List<Run> runsOf(Collection<String> experimentIds, ViewType view) {
        if (experimentIds.isEmpty()) return List.of();
        StringBuilder in = new StringBuilder();
        for (String id : experimentIds) {
            if (!in.isEmpty()) in.append(',');
            in.append(parseExperimentId(id));
        }
        List<RunInfo> infos = queryRunInfos("WHERE experiment_id IN (" + in + ") ORDER BY start_time DESC, run_uuid");
        return loadRuns(infos.stream().filter(i -> view.accepts(i.lifecycleStage())).toList());
    }

    /** Child runs of a parent (nested runs, e.g. the trials of a study), oldest first. */
    public List<Run> childRuns(String parentRunId) {
        return loadRuns(queryRunInfos("WHERE parent_run_id = ? ORDER BY start_time, run_uuid", parentRunId));
    }

    private List<RunInfo> queryRunInfos(String where, String... args) {
        long now = now();
        return db.read(c -> {
            List<RunInfo> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT run_uuid, experiment_id, name, status, start_time, end_time, parent_run_id, lifecycle_stage, artifact_uri, heartbeat, error FROM runs " + where)) {
                for (int i = 0; i < args.length; i++) p.setString(i + 1, args[i]);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        RunStatus status = RunStatus.valueOf(rs.getString(4));
                        long hb = rs.getLong(10);
                        if (status == RunStatus.RUNNING && hb > 0 && now - hb > staleAfterMs) status = RunStatus.KILLED;
                        long end = rs.getLong(6);
                        Long endTime = rs.wasNull() ? null : end;
                        out.add(new RunInfo(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3), status,
                                rs.getLong(5), endTime, rs.getString(7), rs.getString(8), rs.getString(9), hb, rs.getString(11)));
                    }
                }
            }
            return out;
        });
    }

    private List<Run> loadRuns(List<RunInfo> infos) {
        if (infos.isEmpty()) return List.of();
        Map<String, Map<String, String>> params = new HashMap<>(), tags = new HashMap<>();
        Map<String, Map<String, Metric>> metrics = new HashMap<>();
        Map<String, List<RunInput>> inputs = new HashMap<>();
        db.read(c -> {
            // Chunks keep the IN lists under SQLite's variable limit.
            for (int from = 0; from < infos.size(); from += 500) {
                List<RunInfo> chunk = infos.subList(from, Math.min(infos.size(), from + 500));
                String in = "(" + "?,".repeat(chunk.size() - 1) + "?)";
                try (PreparedStatement p = bind(c, "SELECT run_uuid, key, value FROM params WHERE run_uuid IN " + in, chunk);
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) params.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
                try (PreparedStatement p = bind(c, "SELECT run_uuid, key, value FROM tags WHERE run_uuid IN " + in, chunk);
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) tags.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
                try (PreparedStatement p = bind(c, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN " + in, chunk);
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        metrics.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                                .put(rs.getString(2), new Metric(rs.getString(2), metricValue(rs, 3, 4), rs.getLong(5), rs.getLong(6)));
                    }
                }
                try (PreparedStatement p = bind(c, "SELECT run_uuid, kind, path, digest FROM run_inputs WHERE run_uuid IN " + in, chunk);
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) inputs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new RunInput(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return null;
        });
        List<Run> out = new ArrayList<>(infos.size());
        for (RunInfo i : infos) {
            out.add(new Run(i, params.getOrDefault(i.runId(), Map.of()), tags.getOrDefault(i.runId(), Map.of()),
                    metrics.getOrDefault(i.runId(), Map.of()), inputs.getOrDefault(i.runId(), List.of())));
        }
        return out;
    }

    private static PreparedStatement bind(Connection c, String sql, List<RunInfo> runs) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < runs.size(); i++) p.setString(i + 1, runs.get(i).runId());
        return p;
    }

    private static double metricValue(ResultSet rs, int valueCol, int nanCol) throws SQLException {
        if (rs.getInt(nanCol) != 0) return Double.NaN;
        return rs.getDouble(valueCol);
    }

    /** Sets status, end time and/or name; {@code null} leaves a field unchanged. */
    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName, String error) {
        getRunInfo(runId);
        db.write(c -> {
            if (status != null) exec(c, "UPDATE runs SET status = ? WHERE run_uuid = ?", status.name(), runId);
            if (endTime != null) {
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET end_time = ? WHERE run_uuid = ?")) {
                    p.setLong(1, endTime);
                    p.setString(2, runId);
                    p.executeUpdate();
                }
            }
            if (runName != null && !runName.isBlank()) {
                exec(c, "UPDATE runs SET name = ? WHERE run_uuid = ?", runName, runId);
                upsertTag(c, runId, "mlflow.runName", runName);
            }
            if (error != null) exec(c, "UPDATE runs SET error = ? WHERE run_uuid = ?", error, runId);
            return null;
        });
        return getRunInfo(runId);
    }

    public void deleteRun(String runId) {
        getRunInfo(runId);
        db.write(c -> exec(c, "UPDATE runs SET lifecycle_stage = 'deleted' WHERE run_uuid = ?", runId));
    }

    public void restoreRun(String runId) {
        getRunInfo(runId);
        db.write(c -> exec(c, "UPDATE runs SET lifecycle_stage = 'active' WHERE run_uuid = ?", runId));
    }

    /** Records that the run's process is alive. */
    public void heartbeat(String runId) {
        long now = now();
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET heartbeat = ? WHERE run_uuid = ? AND status = 'RUNNING'")) {
                p.setLong(1, now);
                p.setString(2, runId);
                return p.executeUpdate();
            }
        });
    }

    private static int exec(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setString(i + 1, args[i]);
            return p.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- params, tags, metrics

    public void logParam(String runId, String key, String value) {
        logBatch(runId, List.of(), List.of(Map.entry(key, value)), List.of());
    }

    public void setTag(String runId, String key, String value) {
        logBatch(runId, List.of(), List.of(), List.of(Map.entry(key, value)));
    }

    public void deleteTag(String runId, String key) {
        getRunInfo(runId);
        int n = db.write(c -> exec(c, "DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key));
        if (n == 0) {
            throw new TrackingException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No tag with name: " + key + " in run with id " + runId);
        }
    }

    public void logMetric(String runId, Metric m) {
        logBatch(runId, List.of(m), List.of(), List.of());
    }

    /** Logs metrics without the per-request limits of {@link #logBatch} (the local tracker's path). */
    public void logMetrics(String runId, List<Metric> metrics) {
        for (Metric m : metrics) Limits.checkKey("Metric", m.key());
        requireActive(getRunInfo(runId));
        db.write(c -> {
            insertMetrics(c, runId, metrics);
            return null;
        });
    }

    /**
     * MLflow's log-batch: validates the limits and every entity first, then writes everything in one
     * transaction, so a rejected batch leaves nothing behind.
     */
    public void logBatch(String runId, List<Metric> metrics, Collection<Map.Entry<String, String>> params,
                         Collection<Map.Entry<String, String>> tags) {
        Limits.checkBatch(metrics.size(), params.size(), tags.size());
        for (Metric m : metrics) Limits.checkKey("Metric", m.key());
        Map<String, String> distinct = Limits.distinctParams(params);
        for (Map.Entry<String, String> t : tags) Limits.checkTag(t.getKey(), t.getValue());
        requireActive(getRunInfo(runId));
        db.write(c -> {
            for (Map.Entry<String, String> p : distinct.entrySet()) insertParam(c, runId, p.getKey(), p.getValue());
            for (Map.Entry<String, String> t : tags) {
                upsertTag(c, runId, t.getKey(), t.getValue());
                if (t.getKey().equals("mlflow.runName")) exec(c, "UPDATE runs SET name = ? WHERE run_uuid = ?", t.getValue(), runId);
            }
            insertMetrics(c, runId, metrics);
            return null;
        });
    }

    private static void requireActive(RunInfo info) {
        if (!"active".equals(info.lifecycleStage())) {
            throw new TrackingException(ErrorCode.INVALID_STATE, "The run " + info.runId() + " must be in the 'active' state. Current state is " + info.lifecycleStage() + ".");
        }
    }

    private static void insertParam(Connection c, String runId, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM params WHERE run_uuid = ? AND key = ?")) {
            p.setString(1, runId);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    String old = rs.getString(1);
                    if (old.equals(value)) return;
                    throw Limits.invalid("Changing param values is not allowed. Param with key='" + key
                            + "' was already logged with value='" + old + "' for run ID='" + runId
                            + "'. Attempted logging new value '" + value + "'.");
                }
            }
        }
        exec(c, "INSERT INTO params VALUES (?, ?, ?)", runId, key, value);
    }

    private static void upsertTag(Connection c, String runId, String key, String value) throws SQLException {
        exec(c, "INSERT INTO tags VALUES (?, ?, ?) ON CONFLICT(run_uuid, key) DO UPDATE SET value = excluded.value", runId, key, value);
    }

    private static void insertMetrics(Connection c, String runId, List<Metric> metrics) throws SQLException {
        if (metrics.isEmpty()) return;
        try (PreparedStatement hist = c.prepareStatement("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement latest = c.prepareStatement("""
                     INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT(run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
                       step = excluded.step, timestamp = excluded.timestamp
                     WHERE excluded.step > latest_metrics.step
                        OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)""")) {
            for (Metric m : metrics) {
                for (PreparedStatement p : new PreparedStatement[] {hist, latest}) {
                    p.setString(1, runId);
                    p.setString(2, m.key());
                    if (Double.isNaN(m.value())) p.setNull(3, Types.REAL);
                    else p.setDouble(3, m.value());
                    p.setInt(4, Double.isNaN(m.value()) ? 1 : 0);
                    p.setLong(5, m.step());
                    p.setLong(6, m.timestamp());
                    p.addBatch();
                }
            }
            hist.executeBatch();
            latest.executeBatch();
        }
    }

    /** Every logged value of one metric, by step then timestamp (MLflow's get-history). */
    public List<Metric> metricHistory(String runId, String key) {
        getRunInfo(runId);
        return db.read(c -> {
            List<Metric> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, rowid")) {
                p.setString(1, runId);
                p.setString(2, key);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new Metric(key, metricValue(rs, 1, 2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    /** Number of rows in the metric history of a run (all keys). */
    public long metricCount(String runId) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM metrics WHERE run_uuid = ?")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    // ---------------------------------------------------------------- inputs and artifacts

    public void logInput(String runId, RunInput input) {
        getRunInfo(runId);
        db.write(c -> exec(c, "INSERT INTO run_inputs VALUES (?, ?, ?, ?) ON CONFLICT(run_uuid, kind, path) DO UPDATE SET digest = excluded.digest",
                runId, input.kind(), input.path(), input.digest()));
    }

    /** The run's artifact folder on this machine (created on demand). */
    public Path artifactDir(String runId) {
        String uri = getRunInfo(runId).artifactUri();
        if (!uri.startsWith("file:")) {
            throw new TrackingException(ErrorCode.INVALID_PARAMETER_VALUE, "Run " + runId + " keeps its artifacts at " + uri + ", not on this machine");
        }
        return Path.of(java.net.URI.create(uri));
    }

    /** Copies a file or folder into the run's artifact folder (under {@code subdir} if given). */
    public Path logArtifact(String runId, Path source, String subdir) {
        Path root = artifactDir(runId);
        Path targetDir = subdir == null || subdir.isBlank() ? root : safeResolve(root, subdir);
        Path target = targetDir.resolve(source.getFileName().toString());
        try {
            Files.createDirectories(targetDir);
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path dest = target.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) Files.createDirectories(dest);
                        else copyAtomically(f, dest);
                    }
                }
            } else {
                copyAtomically(source, target);
            }
        } catch (IOException e) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Cannot copy artifact " + source + " to " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path safeResolve(Path root, String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) throw Limits.invalid("Invalid artifact path '" + relative + "': it leaves the run's artifact folder");
        return p;
    }

    /** Direct children of {@code path} (relative to the artifact root; null or "" for the root). */
    public List<ArtifactFile> listArtifacts(String runId, String path) {
        Path root = artifactDir(runId);
        Path dirPath = path == null || path.isBlank() ? root : safeResolve(root, path);
        if (!Files.isDirectory(dirPath)) return List.of();
        List<ArtifactFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dirPath)) {
            for (Path f : s.sorted().toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                boolean isDir = Files.isDirectory(f);
                out.add(new ArtifactFile(rel, isDir, isDir ? 0 : Files.size(f)));
            }
        } catch (IOException e) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Cannot list artifacts in " + dirPath + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A file under the run's artifact folder, refusing paths that leave it. */
    public Path artifactFile(String runId, String path) {
        return safeResolve(artifactDir(runId), path);
    }

    @Override
    public void close() {
        db.close();
    }
}
