package ai.tarka.tracking.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One connection to the tracking database, shared by the threads of this process (calls are serialised) and
 * by other processes through SQLite's locks: WAL journal so readers never wait for writers, a busy timeout so
 * writers queue instead of failing, and write transactions begun IMMEDIATE so two processes never deadlock
 * upgrading a read lock.
 */
final class SqliteDatabase implements AutoCloseable {
    static final int BUSY_TIMEOUT_MS = 60_000;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection connection;

    private SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    static SqliteDatabase open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Cannot create the tracking directory "
                    + file.getParent() + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteDatabase db = new SqliteDatabase(file, c);
            db.migrate();
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw openError(file, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static TrackingException openError(Path file, SQLException e) {
        if (e instanceof SQLiteException se && (se.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB
                || se.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT)) {
            return new TrackingException(ErrorCode.INTERNAL_ERROR, "Tracking database " + file.toAbsolutePath()
                    + " is corrupt or not an SQLite database (" + se.getResultCode().name()
                    + "). Move it aside to start a new store, or pass --tracking-dir to use another one.", e);
        }
        return new TrackingException(ErrorCode.INTERNAL_ERROR, "Cannot open tracking database "
                + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing with a better message
        }
    }

    Path file() {
        return file;
    }

    /** Brings the schema up to {@link Migrations#latestVersion()}, each step in its own transaction. */
    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            // Fails with SQLITE_NOTADB right here for a file that is not a database.
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_time INTEGER NOT NULL, description TEXT NOT NULL)");
        }
        int current = currentVersion();
        if (current > Migrations.latestVersion()) {
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Tracking database " + file.toAbsolutePath()
                    + " has schema version " + current + ", newer than this tarka understands ("
                    + Migrations.latestVersion() + "); upgrade tarka");
        }
        for (Migrations.Step step : Migrations.STEPS) {
            if (step.version() <= current) continue;
            write(c -> {
                // Another process may have migrated while we waited for the write lock.
                if (currentVersion() >= step.version()) return null;
                try (Statement s = c.createStatement()) {
                    for (String sql : step.statements()) s.execute(sql);
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
                    p.setInt(1, step.version());
                    p.setLong(2, System.currentTimeMillis());
                    p.setString(3, step.description());
                    p.executeUpdate();
                }
                return null;
            });
        }
    }

    int currentVersion() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Runs {@code work} in one write transaction, retrying if SQLite still reports the database busy. */
    synchronized <T> T write(Work<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (isBusy(e) && attempt < 20) {
                    sleep(20L << Math.min(attempt, 6));
                    continue;
                }
                throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Tracking database " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs {@code work} outside a transaction (each statement sees a consistent snapshot). */
    synchronized <T> T read(Work<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                if (isBusy(e) && attempt < 20) {
                    sleep(20L << Math.min(attempt, 6));
                    continue;
                }
                throw new TrackingException(ErrorCode.INTERNAL_ERROR, "Tracking database " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original error is more useful
        }
    }

    private static boolean isBusy(SQLException e) {
        return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
                || e instanceof SQLiteException se2 && (se2.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for the tracking database");
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(connection);
    }
}
