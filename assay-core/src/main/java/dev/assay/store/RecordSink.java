package dev.assay.store;

import dev.assay.run.SampleRecord;

/**
 * Where a run's records go as samples finish: samples.jsonl ({@link dev.assay.run.RunLog}) or the samples
 * table. Thread-safe. A record appended is kept even if the process dies the next instant (folder: written
 * with one write(); PostgreSQL: committed before append returns).
 */
public interface RecordSink extends AutoCloseable {
    void append(SampleRecord record);

    /** Makes everything appended durable now (fsync; a no-op where each append commits). */
    void sync();

    /** Mean bytes per record appended so far (0 before the first): for "N more bytes needed" messages. */
    long bytesPerRecord();

    @Override
    void close();
}
