package dev.assay.store.queue;

import dev.assay.AssayException;
import dev.assay.ExitCode;
import dev.assay.run.Runner;
import dev.assay.run.SampleRecord;
import dev.assay.store.RecordSink;
import dev.assay.store.Store;
import dev.assay.store.StoredRun;

import java.io.PrintStream;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One {@code assay worker} process: claims a batch of a distributed run as a lease, runs its units with the
 * runner's own machinery ({@link Runner.Session}: same seeds, scorers and record shapes as a single-process
 * run), writes their records through the store (UNIQUE per sample and epoch, so a batch re-run after its lease
 * expired never records a unit twice), marks the batch done, and computes the run's results if its batch was
 * the last. A heartbeat thread extends the lease every third of its length, so only a worker that stopped
 * answering loses its batch. With nothing to claim it polls, or exits ({@code exitWhenIdle}) once no batch is left that is not done
 * (one leased by another worker may still expire and come back).
 * <p>
 * Stopping ({@link #stop}, on SIGTERM): no new batch is claimed; the batch in hand is finished if that takes
 * less than the grace period, else released (its finished units stay recorded, the rest go back to the queue).
 */
public final class Worker {
    /**
     * @param lease        how long a claim lasts without a heartbeat (a dead worker's batch waits this long)
     * @param poll         how long an idle worker waits before asking again
     * @param exitWhenIdle exit once there is nothing to claim (tests and scripts)
     */
    public record Options(Duration lease, Duration poll, boolean exitWhenIdle) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), Duration.ofSeconds(2), false);
    }

    /** Where the connections come from (the store's database). */
    @FunctionalInterface
    public interface Db {
        Connection connect() throws SQLException;
    }

    private final Store store;
    private final Db db;
    private final Function<StoredRun, Runner.Session> sessions;
    private final Options options;
    private final PrintStream log;
    private final String id;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong unitsDone = new AtomicLong();
    private final AtomicReference<WorkQueue.Lease> holding = new AtomicReference<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean stopping;
    private Runner.Session session;
    private RecordSink sink;

    public Worker(Store store, Db db, Function<StoredRun, Runner.Session> sessions, Options options, PrintStream log) {
        this.store = store;
        this.db = db;
        this.sessions = sessions;
        this.options = options;
        this.log = log;
        this.host = hostName();
        this.id = host + ":" + pid + ":" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    }

    public String id() {
        return id;
    }

    /** Whether {@link #run} has returned (or thrown). */
    public boolean exited() {
        return exited.getCount() == 0;
    }

    /** Units this worker has run and recorded so far. */
    public long unitsDone() {
        return unitsDone.get();
    }

    /** Works until stopped, or until idle with {@code exitWhenIdle}; returns the exit code. */
    public int run() {
        Thread heart = Thread.ofPlatform().daemon().name("assay-worker-heartbeat").start(this::heartbeat);
        try {
            beat(null, null);
            while (!stopping) {
                Optional<WorkQueue.Lease> claimed;
                try (Connection c = db.connect()) {
                    claimed = WorkQueue.claim(c, id, options.lease());
                }
                if (claimed.isEmpty()) {
                    if (takeOverResults()) continue;
                    // Idle means nothing left at all: a batch another worker holds may yet expire and need us.
                    if (options.exitWhenIdle() && openBatches() == 0) break;
                    sleep(options.poll());
                    continue;
                }
                work(claimed.get());
            }
            return ExitCode.OK.code();
        } catch (SQLException e) {
            throw new AssayException("--store " + store.location() + ": " + e.getMessage(), e);
        } finally {
            heart.interrupt();
            closeSession();
            try (Connection c = db.connect()) {
                WorkQueue.stopped(c, id);
            } catch (SQLException ignored) {
                // the row only goes stale; its heartbeat age says so
            }
            exited.countDown();
        }
    }

    /** Asks the worker to stop, then waits up to {@code grace} for it; a batch still running is released. */
    public void stop(Duration grace) {
        stopping = true;
        try {
            if (exited.await(grace.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WorkQueue.Lease l = holding.get();
        if (l == null) return;
        try (Connection c = db.connect()) {
            WorkQueue.release(c, l, null);
            WorkQueue.stopped(c, id);
            log.println("assay worker: stopped; released batch " + l.batch() + " of run " + l.runId()
                    + " (its finished samples are recorded, the rest go back to the queue)");
        } catch (SQLException e) {
            log.println("assay worker: could not release batch " + l.batch() + " of run " + l.runId() + " (" + e.getMessage()
                    + "); its lease expires in at most " + options.lease().toSeconds() + " s");
        }
    }

    private void work(WorkQueue.Lease lease) throws SQLException {
        holding.set(lease);
        beat(lease, Instant.now().plus(options.lease()));
        try {
            StoredRun run = store.find(lease.runId());
            Runner.Session s = session(run);
            List<String> keys = lease.units().stream().map(u -> SampleRecord.key(u.suite(), u.id(), u.epoch())).toList();
            java.util.Set<String> recorded;
            try (Connection c = db.connect()) {
                recorded = WorkQueue.recorded(c, lease.runId(), lease.units());
            }
            log.printf(java.util.Locale.ROOT, "assay worker %s: run %s batch %d (%d samples%s, attempt %d)%n", id, lease.runId(), lease.batch(),
                    keys.size(), recorded.isEmpty() ? "" : ", " + recorded.size() + " recorded already", lease.attempt());
            s.run(keys, recorded, sink(run), new Runner.Listener() {
                @Override
                public void sampleFinished(SampleRecord r) {
                    unitsDone.incrementAndGet();
                }
            });
            sink.sync();
            try (Connection c = db.connect()) {
                WorkQueue.complete(c, lease);
                WorkQueue.indexProgress(c, lease.runId());
            }
            holding.set(null);
            beat(null, null);
            // After the batch's own commit: the last batch's finisher sees every batch done and wins the claim.
            results(lease.runId(), s);
        } catch (AssayException e) {
            // A model that cannot answer, data that changed: the batch goes back, the run shows why, and this worker
            // stops with the error's code, as a single-process run would.
            try (Connection c = db.connect()) {
                WorkQueue.release(c, lease, e.getMessage());
            }
            holding.set(null);
            throw e;
        } finally {
            holding.set(null);
        }
    }

    /** Computes a run's results if every batch is done and this worker wins the claim; true if it did. */
    private boolean results(String runId, Runner.Session s) throws SQLException {
        boolean won;
        try (Connection c = db.connect()) {
            won = WorkQueue.claimResults(c, runId, id, options.lease().multipliedBy(4));
        }
        if (!won) return false;
        Runner.Outcome o = s.finish();
        try (Connection c = db.connect()) {
            WorkQueue.resultsWritten(c, runId);
        }
        log.println("assay worker " + id + ": run " + runId + " complete: results written (" + o.errors() + " errored sample(s))");
        return true;
    }

    /** An idle worker computes the results of runs whose finisher died before writing them. */
    private boolean takeOverResults() throws SQLException {
        List<String> orphans;
        try (Connection c = db.connect()) {
            orphans = WorkQueue.orphanedResults(c);
        }
        for (String runId : orphans) {
            if (results(runId, session(store.find(runId)))) return true;
        }
        return false;
    }

    private int openBatches() throws SQLException {
        try (Connection c = db.connect()) {
            return WorkQueue.openBatches(c);
        }
    }

    /** The session of this run, kept while batches of the same run follow one another. */
    private Runner.Session session(StoredRun run) {
        if (session != null && session.runId().equals(run.id())) return session;
        closeSession();
        session = sessions.apply(run);
        return session;
    }

    /** The run's record sink, kept with its session (opening one is a database session of its own). */
    private RecordSink sink(StoredRun run) {
        if (sink == null) sink = run.appender();
        return sink;
    }

    private void closeSession() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private void heartbeat() {
        long every = Math.max(50, options.lease().toMillis() / 3);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            WorkQueue.Lease l = holding.get();
            try (Connection c = db.connect()) {
                Instant until = null;
                if (l != null) {
                    if (WorkQueue.extend(c, l, options.lease())) until = WorkQueue.leaseUntil(c, l);
                    else log.println("assay worker " + id + ": lost the lease on batch " + l.batch() + " of run " + l.runId()
                            + " (it expired); its records stay unique, so finishing it does no harm");
                }
                WorkQueue.heartbeat(c, id, host, pid, until == null ? null : l, until, unitsDone.get());
            } catch (SQLException e) {
                log.println("assay worker " + id + ": heartbeat failed: " + e.getMessage());
            }
        }
    }

    private void beat(WorkQueue.Lease l, Instant until) throws SQLException {
        try (Connection c = db.connect()) {
            WorkQueue.heartbeat(c, id, host, pid, l, until, unitsDone.get());
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
