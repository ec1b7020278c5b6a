package dev.assay.store.queue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The work queue of distributed runs (tables of migration V2: work_runs, work_tasks, work_workers) over plain
 * JDBC. A detached run is cut into batches of (sample, epoch) units; a worker claims one batch with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} as a lease that expires, extends it while it works (heartbeat),
 * and marks it done once every unit has a record. A batch whose lease ran out (its worker died) is claimed
 * again by the next worker that asks; units that were recorded in the meantime are skipped by the runner and
 * the records' UNIQUE key keeps a unit from being recorded twice. Results are claimed by one conditional
 * UPDATE on the run's row that only one transaction can win, and only once every batch is done.
 * <p>
 * Times come from the database's clock ({@code now()}), never the workers', so machines with skewed clocks
 * agree on who holds what. Each method runs on the connection it is given, in autocommit unless said.
 */
public final class WorkQueue {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample in one epoch of a suite: the unit a batch is made of. */
    public record Unit(String suite, String id, int epoch) {
    }

    /** A batch held by {@code owner}: what to run. {@code attempt} 1 is its first claim. */
    public record Lease(String runId, int batch, List<Unit> units, int attempt, String owner) {
    }

    private WorkQueue() {
    }

    /**
     * Enqueues a run's units in batches of {@code batchSize}, in order, on {@code c} (the caller commits, so a
     * run's header and its batches appear together or not at all).
     */
    public static int enqueue(Connection c, String runId, List<Unit> units, int batchSize) throws SQLException {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
        int batches = (units.size() + batchSize - 1) / batchSize;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO work_runs(run_id, units, batches) VALUES (?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setInt(2, units.size());
            ps.setInt(3, batches);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO work_tasks(run_id, batch, units, size) VALUES (?, ?, ?::jsonb, ?)")) {
            for (int b = 0; b < batches; b++) {
                List<Unit> part = units.subList(b * batchSize, Math.min(units.size(), (b + 1) * batchSize));
                ps.setString(1, runId);
                ps.setInt(2, b);
                ps.setString(3, json(part));
                ps.setInt(4, part.size());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return batches;
    }

    /**
     * Claims the first claimable batch — queued, or leased with its lease passed — of the oldest run, for
     * {@code lease}. SKIP LOCKED: workers asking at once get different batches without waiting on each other.
     * Empty when there is nothing to do.
     */
    public static Optional<Lease> claim(Connection c, String owner, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE work_tasks t SET state = 'leased', lease_owner = ?, lease_until = now() + make_interval(secs => ?),
                       attempts = t.attempts + 1
                WHERE (t.run_id, t.batch) = (
                    SELECT run_id, batch FROM work_tasks
                    WHERE state = 'queued' OR (state = 'leased' AND lease_until < now())
                    ORDER BY run_id, batch
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING t.run_id, t.batch, t.units::text, t.attempts""")) {
            ps.setString(1, owner);
            ps.setDouble(2, seconds(lease));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                List<Unit> units = JSON.readValue(rs.getString(3), new TypeReference<List<Unit>>() {
                });
                return Optional.of(new Lease(rs.getString(1), rs.getInt(2), units, rs.getInt(4), owner));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("work_tasks.units of a batch is not a list of units: " + e.getOriginalMessage(), e);
            }
        }
    }

    /**
     * Extends a lease (the heartbeat). False when the lease is no longer ours — it expired and another worker
     * claimed the batch, or the batch is done — so the holder stops working on it.
     */
    public static boolean extend(Connection c, Lease l, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE work_tasks SET lease_until = now() + make_interval(secs => ?)
                WHERE run_id = ? AND batch = ? AND lease_owner = ? AND state = 'leased'""")) {
            ps.setDouble(1, seconds(lease));
            ps.setString(2, l.runId());
            ps.setInt(3, l.batch());
            ps.setString(4, l.owner());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Marks a batch done: every unit of it has a record (written by this worker, or by one that held an earlier
     * lease). Whoever holds it now, the answer is the same, so the owner is not checked.
     */
    public static void complete(Connection c, Lease l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE work_tasks SET state = 'done', done_at = now(), lease_until = NULL
                WHERE run_id = ? AND batch = ? AND state <> 'done'""")) {
            ps.setString(1, l.runId());
            ps.setInt(2, l.batch());
            ps.executeUpdate();
        }
    }

    /**
     * Gives a batch back before its lease ends (a worker stopping, or one that cannot run it), with the reason,
     * if any: the next claim takes it at once. Only the holder's own lease is released.
     */
    public static void release(Connection c, Lease l, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE work_tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL,
                       last_error = COALESCE(?, last_error)
                WHERE run_id = ? AND batch = ? AND lease_owner = ? AND state = 'leased'""")) {
            ps.setString(1, error);
            ps.setString(2, l.runId());
            ps.setInt(3, l.batch());
            ps.setString(4, l.owner());
            ps.executeUpdate();
        }
        if (error != null) runError(c, l.runId(), error);
    }

    /** Records a worker-level error on the run (what `assay status` shows under errors). */
    public static void runError(Connection c, String runId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE work_runs SET last_error = ? WHERE run_id = ?")) {
            ps.setString(1, error);
            ps.setString(2, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Claims the job of computing a run's results, for {@code lease}: one UPDATE whose WHERE holds only when
     * every batch is done, results are not written yet and nobody holds the job (or its holder's lease passed).
     * Two workers finishing the last two batches at once both try; the row lock makes the second re-check the
     * WHERE after the first committed, so exactly one wins. Run it after the batch's own commit (autocommit),
     * else each would see the other's batch as not done yet.
     */
    public static boolean claimResults(Connection c, String runId, String owner, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE work_runs r SET results_owner = ?, results_until = now() + make_interval(secs => ?)
                WHERE r.run_id = ? AND r.results_at IS NULL
                  AND (r.results_owner IS NULL OR r.results_until < now())
                  AND NOT EXISTS (SELECT 1 FROM work_tasks t WHERE t.run_id = r.run_id AND t.state <> 'done')""")) {
            ps.setString(1, owner);
            ps.setDouble(2, seconds(lease));
            ps.setString(3, runId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The results of a run are written: nobody computes them again. */
    public static void resultsWritten(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE work_runs SET results_at = now(), results_owner = NULL, results_until = NULL WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Runs whose batches are all done but whose results nobody has written and nobody holds (the worker that
     * finished the last batch died computing them): an idle worker takes these over.
     */
    public static List<String> orphanedResults(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.run_id FROM work_runs r
                WHERE r.results_at IS NULL AND (r.results_owner IS NULL OR r.results_until < now())
                  AND NOT EXISTS (SELECT 1 FROM work_tasks t WHERE t.run_id = r.run_id AND t.state <> 'done')
                ORDER BY r.run_id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /** Batches of any run not done yet (queued, leased or expired), plus runs waiting for their results. */
    public static int openBatches(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT count(*) FROM work_tasks WHERE state <> 'done') + (SELECT count(*) FROM work_runs WHERE results_at IS NULL
                        AND NOT EXISTS (SELECT 1 FROM work_tasks t WHERE t.run_id = work_runs.run_id AND t.state <> 'done'))""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Brings the run's index row up to date while workers run it: {@code assay list runs} shows "distributed" (not
     * "running", which means one process holding the run's writer lock) and the samples recorded; never after the
     * results were written, whose "complete" row is final.
     */
    public static void indexProgress(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE runs SET status = 'distributed', updated = now(),
                       done = (SELECT count(*) FROM samples s WHERE s.run_id = runs.id AND s.ok),
                       errors = (SELECT count(*) FROM samples s WHERE s.run_id = runs.id AND NOT s.ok)
                WHERE id = ? AND status IN ('queued', 'distributed')""")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
    }

    /** Whether a run was enqueued as a distributed run. */
    public static boolean isQueued(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM work_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The units of a batch that have a finished record already (a worker before this one ran them, then lost its
     * lease): the runner skips them. Errored ones run again, as on resume (the store replaces an errored record). Keys as {@link dev.assay.run.SampleRecord#key}.
     */
    public static java.util.Set<String> recorded(Connection c, String runId, List<Unit> units) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (units.isEmpty()) return out;
        String[] ids = units.stream().map(Unit::id).toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT suite, sample_id, epoch FROM samples WHERE run_id = ? AND ok AND sample_id = ANY (?)")) {
            ps.setString(1, runId);
            ps.setArray(2, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(dev.assay.run.SampleRecord.key(rs.getString(1), rs.getString(2), rs.getInt(3)));
            }
        }
        java.util.Set<String> wanted = new java.util.HashSet<>();
        units.forEach(u -> wanted.add(dev.assay.run.SampleRecord.key(u.suite(), u.id(), u.epoch())));
        out.retainAll(wanted);
        return out;
    }

    /** Records of a run in the samples table: {all, errored}. */
    public static long[] recordCounts(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM samples WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    // ---- workers, as they report themselves ----

    /** A worker says it is alive, and which batch it holds now (null: none; its row keeps the last run it worked on). */
    public static void heartbeat(Connection c, String worker, String host, long pid, Lease holding, Instant leaseUntil, long unitsDone)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO work_workers(id, host, pid, run_id, batch, lease_until, units_done) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), run_id = COALESCE(excluded.run_id, work_workers.run_id), batch = excluded.batch,
                    lease_until = excluded.lease_until, units_done = excluded.units_done, stopped_at = NULL""")) {
            ps.setString(1, worker);
            ps.setString(2, host);
            ps.setLong(3, pid);
            ps.setString(4, holding == null ? null : holding.runId());
            if (holding == null) ps.setNull(5, java.sql.Types.INTEGER);
            else ps.setInt(5, holding.batch());
            ps.setTimestamp(6, leaseUntil == null ? null : Timestamp.from(leaseUntil));
            ps.setLong(7, unitsDone);
            ps.executeUpdate();
        }
    }

    /** A worker stopped (SIGTERM, idle exit): it holds nothing. */
    public static void stopped(Connection c, String worker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE work_workers SET stopped_at = now(), batch = NULL, lease_until = NULL WHERE id = ?")) {
            ps.setString(1, worker);
            ps.executeUpdate();
        }
    }

    /** The lease a worker holds on a batch now, as the database has it (null: it holds none). */
    public static Instant leaseUntil(Connection c, Lease l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lease_until FROM work_tasks WHERE run_id = ? AND batch = ? AND lease_owner = ? AND state = 'leased'")) {
            ps.setString(1, l.runId());
            ps.setInt(2, l.batch());
            ps.setString(3, l.owner());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
            }
        }
    }

    // ---- progress ----

    /** A batch as `assay status` shows it. {@code leaseLeft} in seconds (negative: expired), or null. */
    public record BatchState(int batch, int size, String state, String owner, Double leaseLeft, int attempts, String lastError) {
    }

    /** A worker as `assay status` shows it; {@code heartbeatAgo} in seconds. */
    public record WorkerState(String id, String host, long pid, Integer batch, Double leaseLeft, double heartbeatAgo, long unitsDone,
                              boolean stopped) {
    }

    /** A distributed run's queue: batches by state, the results job, workers that hold or held its batches. */
    public record Progress(String runId, int units, int batches, int queued, int leased, int expired, int done,
                           String resultsOwner, Instant resultsAt, String lastError,
                           List<BatchState> open, List<WorkerState> workers) {
    }

    /** The progress of one distributed run, or empty if it was not enqueued. */
    public static Optional<Progress> progress(Connection c, String runId) throws SQLException {
        int units;
        int batches;
        String resultsOwner;
        Instant resultsAt;
        String lastError;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT units, batches, results_owner, results_at, last_error FROM work_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                units = rs.getInt(1);
                batches = rs.getInt(2);
                resultsOwner = rs.getString(3);
                resultsAt = rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant();
                lastError = rs.getString(5);
            }
        }
        int queued = 0, leased = 0, expired = 0, done = 0;
        List<BatchState> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT batch, size, state, lease_owner, EXTRACT(EPOCH FROM (lease_until - now()))::float8, attempts, last_error
                FROM work_tasks WHERE run_id = ? ORDER BY batch""")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(3);
                    double left = rs.getDouble(5);
                    Double leaseLeft = rs.wasNull() ? null : left;
                    switch (state) {
                        case "done" -> done++;
                        case "queued" -> queued++;
                        default -> {
                            if (leaseLeft != null && leaseLeft < 0) expired++;
                            else leased++;
                        }
                    }
                    if (!state.equals("done")) {
                        open.add(new BatchState(rs.getInt(1), rs.getInt(2), state, rs.getString(4), leaseLeft, rs.getInt(6), rs.getString(7)));
                    }
                }
            }
        }
        List<WorkerState> workers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, host, pid, batch, EXTRACT(EPOCH FROM (lease_until - now()))::float8,
                       EXTRACT(EPOCH FROM (now() - heartbeat_at))::float8, units_done, stopped_at IS NOT NULL
                FROM work_workers w
                WHERE w.run_id = ? OR EXISTS (SELECT 1 FROM work_tasks t WHERE t.run_id = ? AND t.lease_owner = w.id)
                ORDER BY id""")) {
            ps.setString(1, runId);
            ps.setString(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int b = rs.getInt(4);
                    Integer batch = rs.wasNull() ? null : b;
                    double left = rs.getDouble(5);
                    Double leaseLeft = rs.wasNull() ? null : left;
                    workers.add(new WorkerState(rs.getString(1), rs.getString(2), rs.getLong(3), batch, leaseLeft, rs.getDouble(6),
                            rs.getLong(7), rs.getBoolean(8)));
                }
            }
        }
        return Optional.of(new Progress(runId, units, batches, queued, leased, expired, done, resultsOwner, resultsAt, lastError, open, workers));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String json(List<Unit> units) {
        try {
            return JSON.writeValueAsString(units);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
