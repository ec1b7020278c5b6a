package dev.assay.cli;

import dev.assay.run.RunIndex;
import dev.assay.store.StoredRun;
import dev.assay.store.pg.PgStore;
import dev.assay.store.queue.WorkQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", sortOptions = false,
        description = {"Progress of a distributed run, from any machine: samples recorded of all, batches done, leased (by which "
                + "worker, until when), expired and queued, the workers and their heartbeats, and errors."},
        footer = {"", "Example:", "  assay status 20261201-193000-1a2b --store postgresql://db.lab/assay"})
public final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "The run id (assay run --detach prints it; assay list runs lists them).")
    String run;

    @Option(names = "--store", paramLabel = "URL", description = "The PostgreSQL store of the run (also ASSAY_STORE).")
    String store;

    @Option(names = "--json", description = "One JSON object instead of the table (for scripts).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PgStore pg = Distributed.open(store, "assay status")) {
            StoredRun r = pg.find(run);
            RunIndex.Entry entry = pg.entry(r.id()).orElse(null);
            var progress = pg.sql("read the queue of run " + r.id(), c -> WorkQueue.progress(c, r.id()));
            long[] counts = pg.sql("count the records of run " + r.id(), c -> WorkQueue.recordCounts(c, r.id()));
            int total = progress.map(WorkQueue.Progress::units).orElse(entry == null ? 0 : entry.samples());
            if (json) {
                out.println(dev.assay.run.Json.MAPPER.valueToTree(document(r.id(), entry, progress.orElse(null), counts, total)).toPrettyString());
                return 0;
            }
            out.printf(Locale.ROOT, "run %s (%s)%n", r.id(), entry == null ? "not in the index" : entry.status());
            out.printf(Locale.ROOT, "samples: %d of %d recorded (%.1f%%), %d errored%n", counts[0], total,
                    total == 0 ? 0.0 : 100.0 * counts[0] / total, counts[1]);
            if (progress.isEmpty()) {
                out.println("not a distributed run (it was not started with --detach): no queue, no workers");
                return 0;
            }
            WorkQueue.Progress p = progress.get();
            out.printf(Locale.ROOT, "batches: %d done, %d leased, %d expired (to be claimed again), %d queued, of %d%n",
                    p.done(), p.leased(), p.expired(), p.queued(), p.batches());
            out.println("results: " + (p.resultsAt() != null ? "written " + p.resultsAt() + " (assay results " + r.id() + " prints them)"
                    : p.resultsOwner() != null ? "being computed by " + p.resultsOwner() : "after the last batch"));
            if (!p.workers().isEmpty()) {
                out.println("workers:");
                out.printf(Locale.ROOT, "  %-36s %-8s %-16s %-16s %s%n", "worker", "batch", "lease_left_s", "heartbeat_ago_s", "samples_run");
                for (WorkQueue.WorkerState w : p.workers()) {
                    out.printf(Locale.ROOT, "  %-36s %-8s %-16s %-16.1f %d%s%n", w.id(), w.batch() == null ? "-" : w.batch().toString(),
                            w.leaseLeft() == null ? "-" : String.format(Locale.ROOT, "%.1f", w.leaseLeft()), w.heartbeatAgo(), w.unitsDone(),
                            w.stopped() ? "  (stopped)" : w.leaseLeft() != null && w.leaseLeft() < 0
                                    ? "  (no heartbeat since its lease ended: presumed dead; its batch goes to the next worker)" : "");
                }
            }
            List<WorkQueue.BatchState> retried = p.open().stream().filter(b -> b.lastError() != null || b.attempts() > 1).toList();
            if (p.lastError() != null || !retried.isEmpty()) {
                out.println("errors:");
                if (p.lastError() != null) out.println("  last: " + p.lastError());
                for (WorkQueue.BatchState b : retried) {
                    out.printf(Locale.ROOT, "  batch %d: %s, attempt %d%s%n", b.batch(), b.state(), b.attempts(),
                            b.lastError() == null ? "" : ": " + b.lastError());
                }
            }
            if (counts[1] > 0) out.println("  " + counts[1] + " sample(s) errored (recorded as in a single-process run; assay run --retry-errors re-runs them)");
            return 0;
        }
    }

    static Map<String, Object> document(String id, RunIndex.Entry entry, WorkQueue.Progress p, long[] counts, int total) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run", id);
        d.put("status", entry == null ? null : entry.status());
        d.put("samples", total);
        d.put("recorded", counts[0]);
        d.put("errored", counts[1]);
        d.put("queue", p);
        return d;
    }
}
