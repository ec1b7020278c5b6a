package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.store.WriterLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One writer per run in PostgreSQL: a session-level advisory lock, pg_try_advisory_lock(ASSY, hash(run id)),
 * held on a session of its own for as long as the run is written. The server drops it when that session
 * ends, so a writer that dies (SIGKILL included: its TCP connection closes) leaves no stale lock. The holder
 * is named by its session's application_name ("assay PID@HOST"). Two run ids with the same hash would
 * only make one wait for the other: never two writers of one run.
 */
final class PgLock implements WriterLock {
    /** 'ASSY': the first key of every run lock, so Assay's locks are told apart from others in pg_locks. */
    static final int SPACE = 0x41535359;
    private final Connection session;
    private final String run;

    private PgLock(Connection session, String run) {
        this.session = session;
        this.run = run;
    }

    static int key(String run) {
        return run.hashCode() & 0x7fffffff; // non-negative, so pg_locks.objid (an oid) compares as the same number
    }

    static PgLock acquire(PgStore store, String run) {
        Connection c = null;
        try {
            c = store.connect();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                ps.setInt(1, SPACE);
                ps.setInt(2, key(run));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) return new PgLock(c, run);
                }
            }
            PgStore.closeQuietly(c);
            String who = holder(store, run).orElse("?");
            throw new AssayException("run " + run + " is in use by process " + who + " (another assay writing it, store "
                    + store.location() + "); only one process may write a run. Wait for it to finish or stop it, then run again.");
        } catch (SQLException e) {
            PgStore.closeQuietly(c);
            throw store.failure("lock run " + run, e);
        }
    }

    /** "PID@HOST" of the session holding the run's lock, if any. */
    static Optional<String> holder(PgStore store, String run) {
        return store.sql("look up the writer of run " + run, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                      AND l.classid::bigint = ? AND l.objid::bigint = ?""")) {
                ps.setLong(1, SPACE);
                ps.setLong(2, key(run));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<String>empty();
                    String app = rs.getString(1);
                    return Optional.of(app != null && app.startsWith("assay ") ? app.substring(6) : String.valueOf(app));
                }
            }
        });
    }

    @Override
    public void close() {
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, SPACE);
            ps.setInt(2, key(run));
            ps.execute();
        } catch (SQLException ignored) {
            // closing the session below releases it in any case
        }
        PgStore.closeQuietly(session);
    }
}
