package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.cache.ResponseCache;
import dev.assay.run.RunIndex;
import dev.assay.store.Store;
import dev.assay.store.StoreUrl;
import dev.assay.store.StoredRun;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run store in a PostgreSQL database: tables runs, run_documents, samples and cache, made and migrated
 * by Flyway from {@code db/assay/V*__*.sql} (history in {@code assay_schema_history}). Connections come from
 * a small pool of its own (a run needs a handful: one appender, one lock session, a few readers).
 * Every message names the store by its URL without a password ({@link #location()}).
 */
public final class PgStore implements Store {
    /** Flyway's history table: its own name, so the store can share a database with other schemas. */
    public static final String HISTORY = "assay_schema_history";
    private static final int MAX_IDLE = 8;
    private final PgConfig config;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final String application;
    private final boolean readOnly;
    private PgCache cache;
    private volatile boolean closed;

    private PgStore(PgConfig config, boolean readOnly) {
        this.config = config;
        this.readOnly = readOnly;
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "?";
        }
        this.application = "assay " + ProcessHandle.current().pid() + "@" + host;
    }

    /**
     * Connects (failing fast: 5 s to connect, exit 2 naming {@code option} and the masked URL), then brings the
     * schema up to date.
     */
    public static PgStore open(String option, String location, Map<String, String> env) {
        PgConfig config = PgConfig.parse(option, location, env);
        PgStore store = new PgStore(config, false);
        try (Connection c = store.connect()) {
            c.isValid(5);
        } catch (SQLException e) {
            throw store.unreachable(e);
        }
        store.migrate();
        return store;
    }

    private void migrate() {
        try {
            Flyway.configure(PgStore.class.getClassLoader())
                    .dataSource(config.jdbcUrl(), config.user(), config.password())
                    .locations("classpath:db/assay")
                    .table(HISTORY)
                    .baselineOnMigrate(false)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new AssayException(config.option() + " " + location() + ": cannot create or update the store's tables ("
                    + StoreUrl.maskAll(firstLine(e.getMessage())) + "). The user needs CREATE on the database.", e);
        }
    }

    private AssayException unreachable(SQLException e) {
        String why = StoreUrl.maskAll(firstLine(e.getMessage()));
        String hint = "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())
                ? "check PGUSER and PGPASSWORD (or ~/.pgpass / PGPASSFILE)"
                : "check the URL and that the server runs and accepts TCP connections from here";
        return new AssayException(config.option() + " " + location() + ": cannot connect as " + config.user() + " (" + why + "); "
                + hint + ".", e);
    }

    private static String firstLine(String s) {
        if (s == null) return "?";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** A new session (not pooled): for a lock that must live as long as a run. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.properties(application, readOnly));
    }

    /**
     * A pooled connection in autocommit mode; closing the returned handle gives it back. For the work queue
     * (V2__*) and anything else that needs SQL on this store's database.
     */
    public Connection connection() {
        if (closed) throw new IllegalStateException("store " + location() + " is closed");
        Connection c;
        synchronized (idle) {
            c = idle.pollFirst();
        }
        try {
            if (c == null || c.isClosed()) c = connect();
            if (!c.getAutoCommit()) c.setAutoCommit(true);
        } catch (SQLException e) {
            throw unreachable(e);
        }
        Connection real = c;
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(PgStore.class.getClassLoader(), new Class<?>[]{Connection.class},
                new java.lang.reflect.InvocationHandler() {
                    private boolean released;

                    @Override
                    public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args) throws Throwable {
                        if (m.getName().equals("close")) {
                            if (!released) {
                                released = true;
                                give(real);
                            }
                            return null;
                        }
                        if (m.getName().equals("isClosed")) return released || real.isClosed();
                        try {
                            return m.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private void give(Connection c) {
        try {
            if (c.isClosed()) return;
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeQuietly(c);
            return;
        }
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        closeQuietly(c);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // closing after the work is done or failed: nothing to add
        }
    }

    /** An SQL step against this store. */
    @FunctionalInterface
    public interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection; a database error becomes a message naming the store and {@code what}. */
    public <T> T sql(String what, Sql<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    AssayException failure(String what, SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) return unreachable(e);
        return new AssayException(dev.assay.ExitCode.INTERRUPTED, "store " + location() + ": cannot " + what + " ("
                + StoreUrl.maskAll(firstLine(e.getMessage())) + ")", e);
    }

    @Override
    public String location() {
        return config.url();
    }

    /** The same database through read-only sessions (no migration: the reader only reads). */
    @Override
    public Store readOnly() {
        return readOnly ? this : new PgStore(config, true);
    }

    @Override
    public String asOption() {
        return "--store " + location();
    }

    @Override
    public Path workDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "assay", "pg-work", viewRoot().getFileName().toString());
    }

    @Override
    public boolean shared() {
        return true;
    }

    private static final String ENTRY = "id, created, status, model, suites, samples, done, errors, summary";

    private RunIndex.Entry entry(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new RunIndex.Entry(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getInt(7), rs.getInt(8), location() + " (run " + id + ")", rs.getString(9));
    }

    @Override
    public List<RunIndex.Entry> runs() {
        return sql("list runs", c -> {
            List<RunIndex.Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY + " FROM runs WHERE header IS NOT NULL ORDER BY created, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(entry(rs));
            }
            return out;
        });
    }

    @Override
    public Optional<RunIndex.Entry> entry(String id) {
        return sql("read run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY + " FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.<RunIndex.Entry>empty();
                }
            }
        });
    }

    @Override
    public void index(RunIndex.Entry e) {
        sql("update the index row of run " + e.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO runs (id, created, status, model, suites, samples, done, errors, summary)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET created = EXCLUDED.created, status = EXCLUDED.status, model = EXCLUDED.model,
                      suites = EXCLUDED.suites, samples = EXCLUDED.samples, done = EXCLUDED.done, errors = EXCLUDED.errors,
                      summary = EXCLUDED.summary, updated = now()""")) {
                ps.setString(1, e.id());
                ps.setString(2, e.created());
                ps.setString(3, e.status());
                ps.setString(4, e.model());
                ps.setString(5, e.suites());
                ps.setInt(6, e.samples());
                ps.setInt(7, e.done());
                ps.setInt(8, e.errors());
                ps.setString(9, e.summary());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public StoredRun create() {
        for (int attempt = 0; ; attempt++) {
            String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                    + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
            if (insertRun(id)) return new PgRun(this, id);
            if (attempt > 20) throw new AssayException("store " + location() + ": cannot pick a free run id");
        }
    }

    @Override
    public StoredRun create(String id) {
        if (!insertRun(id)) throw new AssayException("run " + id + " is in " + location() + " already");
        return new PgRun(this, id);
    }

    private boolean insertRun(String id) {
        return sql("create run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public StoredRun find(String ref) {
        if (!contains(ref)) {
            throw new AssayException("no run '" + ref + "' in " + location() + ". 'assay list runs --store " + location()
                    + "' lists the runs there.");
        }
        return new PgRun(this, ref);
    }

    @Override
    public boolean contains(String id) {
        return sql("look up run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ? AND header IS NOT NULL")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public synchronized ResponseCache cache() {
        if (cache == null) cache = new PgCache(this);
        return cache;
    }

    /** Where read-only local copies of runs go for file readers ({@link PgRun#folder}). */
    Path viewRoot() {
        String key = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4).putInt(location().hashCode()).array());
        return Path.of(System.getProperty("java.io.tmpdir"), "assay-pg-runs-" + key);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(PgStore::closeQuietly);
            idle.clear();
        }
    }

    @Override
    public String toString() {
        return location();
    }
}
