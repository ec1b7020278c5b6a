package dev.assay.cli.view;

import dev.assay.store.Store;
import dev.assay.store.pg.PgStore;
import dev.assay.store.queue.WorkQueue;

import java.util.Locale;
import java.util.Optional;

/**
 * The run page's progress box for a distributed run (assay run --detach in a PostgreSQL store): what
 * {@code assay status RUN} prints, read with SELECTs only. Nothing for a folder store or a run that was not
 * enqueued.
 */
final class QueueProgress {
    private QueueProgress() {
    }

    static String html(Store store, String runId) {
        if (!(store instanceof PgStore pg)) return "";
        Optional<WorkQueue.Progress> progress = pg.sql("read the queue of run " + runId, c -> WorkQueue.progress(c, runId));
        if (progress.isEmpty()) return "";
        WorkQueue.Progress p = progress.get();
        long[] counts = pg.sql("count the records of run " + runId, c -> WorkQueue.recordCounts(c, runId));
        StringBuilder h = new StringBuilder("<h2>Distributed run</h2>\n<table id=\"queue\">\n");
        row(h, "samples", String.format(Locale.ROOT, "%d of %d recorded, %d errored", counts[0], p.units(), counts[1]));
        row(h, "batches", String.format(Locale.ROOT, "%d done, %d leased, %d expired, %d queued, of %d", p.done(), p.leased(), p.expired(),
                p.queued(), p.batches()));
        row(h, "results", p.resultsAt() != null ? "written " + p.resultsAt() : p.resultsOwner() != null ? "being computed by " + p.resultsOwner()
                : "after the last batch");
        for (WorkQueue.WorkerState w : p.workers()) {
            row(h, "worker", w.id() + (w.batch() == null ? " (idle)" : " · batch " + w.batch()) + (w.leaseLeft() == null ? ""
                    : String.format(Locale.ROOT, " · lease %.1f s left", w.leaseLeft())) + String.format(Locale.ROOT,
                    " · heartbeat %.1f s ago · %d samples", w.heartbeatAgo(), w.unitsDone()) + (w.stopped() ? " · stopped"
                    : w.leaseLeft() != null && w.leaseLeft() < 0 ? " · presumed dead (no heartbeat since its lease ended)" : ""));
        }
        if (p.lastError() != null) row(h, "last error", p.lastError());
        return h.append("</table>\n").toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(dev.assay.cli.report.HtmlReport.esc(k)).append("</th><td>").append(dev.assay.cli.report.HtmlReport.esc(v)).append("</td></tr>\n");
    }
}
