package dev.assay.cache;

import dev.assay.AssayException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folder store's response cache: one SQLite file ({@value ResponseCache#FILE_NAME}) in the run store
 * folder. Safe for many threads: one connection, calls serialised (SQLite serialises writers anyway, and
 * WAL lets readers of other processes go on).
 */
public final class SqliteResponseCache implements ResponseCache {

    private final Path file;
    private final Connection db;

    private SqliteResponseCache(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating if needed) the cache in {@code storeDir}. */
    public static SqliteResponseCache open(Path storeDir) {
        Path file = storeDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(storeDir);
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (var st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA busy_timeout=10000");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS responses (
                          key TEXT PRIMARY KEY,
                          model TEXT NOT NULL,
                          op TEXT NOT NULL,
                          created_ms INTEGER NOT NULL,
                          value TEXT NOT NULL)""");
            }
            return new SqliteResponseCache(file, db);
        } catch (Exception e) {
            throw new AssayException("response cache " + file + ": cannot open it (" + e.getMessage()
                    + "). Check that the run store folder is writable, or delete the file to start afresh.", e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public synchronized Optional<String> get(CacheKey key) {
        try (var st = db.prepareStatement("SELECT value FROM responses WHERE key = ?")) {
            st.setString(1, key.hex());
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": read failed", e);
        }
    }

    @Override
    public synchronized void put(CacheKey key, String model, String op, String valueJson) {
        try (var st = db.prepareStatement(
                "INSERT OR REPLACE INTO responses(key, model, op, created_ms, value) VALUES (?, ?, ?, ?, ?)")) {
            st.setString(1, key.hex());
            st.setString(2, model);
            st.setString(3, op);
            st.setLong(4, System.currentTimeMillis());
            st.setString(5, valueJson);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": write failed", e);
        }
    }

    @Override
    public synchronized List<Entry> list() {
        var out = new ArrayList<Entry>();
        try (var st = db.createStatement();
             var rs = st.executeQuery("SELECT model, op, COUNT(*), SUM(LENGTH(value)), MIN(created_ms), "
                     + "MAX(created_ms) FROM responses GROUP BY model, op ORDER BY model, op")) {
            while (rs.next()) {
                out.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6))));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": list failed", e);
        }
    }

    /** Deletes entries older than {@code before}, and only for {@code model} if it is not null. */
    @Override
    public synchronized int prune(Instant before, String model) {
        String sql = "DELETE FROM responses WHERE created_ms < ?" + (model == null ? "" : " AND model = ?");
        try (var st = db.prepareStatement(sql)) {
            st.setLong(1, before.toEpochMilli());
            if (model != null) st.setString(2, model);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": prune failed", e);
        }
    }

    @Override
    public synchronized int clear() {
        try (var st = db.createStatement()) {
            int n = st.executeUpdate("DELETE FROM responses");
            st.execute("VACUUM");
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": clear failed", e);
        }
    }

    @Override
    public synchronized long size() {
        try (var st = db.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM responses")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": count failed", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("response cache " + file + ": close failed", e);
        }
    }
}
