package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.ExitCode;
import dev.assay.run.RunLog;
import dev.assay.run.SampleRecord;
import dev.assay.store.RecordSink;
import dev.assay.store.StoreUrl;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends a run's records to the samples table on a session of its own, with group commit: a sample thread
 * queues its record and whichever thread holds the writer's lock inserts everything queued as one batch in one
 * transaction; {@link #append} returns only once its record is committed, so a record appended survives this
 * process dying the next instant (SIGKILL included), and many concurrent samples cost one round trip, not
 * one each. The session commits asynchronously (synchronous_commit = off): the server acknowledges before its
 * WAL reaches the disk, so only a crash of the server itself can lose the last few hundred milliseconds of
 * records, which resume then runs again. A record for a (suite, sample, epoch) already finished is dropped,
 * an errored one replaced.
 */
final class PgAppender implements RecordSink {
    static final String INSERT = """
            INSERT INTO samples (run_id, suite, sample_id, epoch, ok, record) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, suite, sample_id, epoch) DO UPDATE
              SET ok = EXCLUDED.ok, record = EXCLUDED.record, seq = nextval('samples_seq'), written = now()
              WHERE NOT samples.ok""";
    private static final int MAX_BATCH = 1000;

    /** One queued record and, once its batch is committed or failed, the outcome. */
    private static final class Pending {
        final SampleRecord record;
        final String line;
        volatile boolean done;
        volatile SQLException error;

        Pending(SampleRecord record, String line) {
            this.record = record;
            this.line = line;
        }
    }

    private final PgStore store;
    private final String run;
    private final Connection c;
    private final PreparedStatement insert;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();
    private long records;
    private long bytes;

    PgAppender(PgStore store, String run) {
        this.store = store;
        this.run = run;
        try {
            this.c = store.connect();
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit = off");
            }
            c.setAutoCommit(false);
            this.insert = c.prepareStatement(INSERT);
        } catch (SQLException e) {
            throw store.failure("open run " + run + " for writing", e);
        }
    }

    @Override
    public void append(SampleRecord record) {
        Pending p = new Pending(record, RunLog.toLine(record));
        queue.add(p);
        // Group commit: whoever gets the lock writes everything queued; a thread whose record a previous holder
        // committed finds it done and returns.
        writer.lock();
        try {
            while (!p.done) flush();
        } finally {
            writer.unlock();
        }
        if (p.error != null) {
            SQLException e = p.error;
            throw new AssayException(ExitCode.INTERRUPTED, "store " + store.location() + ": cannot record sample " + record.id()
                    + " of run " + run + " (" + StoreUrl.maskAll(String.valueOf(e.getMessage()).lines().findFirst().orElse("?"))
                    + "). Finished samples are saved; continue with: assay run --resume " + run + " --store " + store.location(), e);
        }
    }

    /** Writes queued records as one transaction; a key already in this batch (a retried record) waits for the next. */
    private void flush() {
        List<Pending> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Pending p = queue.peek(); p != null && batch.size() < MAX_BATCH && keys.add(p.record.key()); p = queue.peek()) {
            batch.add(queue.poll());
        }
        if (batch.isEmpty()) return;
        SQLException failed = null;
        try {
            for (Pending p : batch) {
                insert.setString(1, run);
                insert.setString(2, p.record.suite());
                insert.setString(3, p.record.id());
                insert.setInt(4, p.record.epoch());
                insert.setBoolean(5, p.record.ok());
                insert.setString(6, p.line);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        } catch (SQLException e) {
            failed = e.getNextException() != null ? e.getNextException() : e;
            try {
                insert.clearBatch();
                c.rollback();
            } catch (SQLException ignored) {
                // the session is likely gone; the error above is the one to report
            }
        }
        for (Pending p : batch) {
            if (failed == null) {
                records++;
                bytes += p.line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            p.error = failed;
            p.done = true;
        }
    }

    @Override
    public void sync() {
        // append returns once committed
    }

    @Override
    public long bytesPerRecord() {
        writer.lock();
        try {
            return records == 0 ? 0 : bytes / records;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void close() {
        writer.lock();
        try {
            PgStore.closeQuietly(insert);
            PgStore.closeQuietly(c);
        } finally {
            writer.unlock();
        }
    }
}
