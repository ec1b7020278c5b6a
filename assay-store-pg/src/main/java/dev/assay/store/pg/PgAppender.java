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

/**
 * Appends a run's records to the samples table, one committed INSERT per record on a session of its own, so
 * a record appended survives this process dying the next instant. The session commits asynchronously
 * (synchronous_commit = off): the server acknowledges before its WAL reaches the disk, so only a crash of
 * the server itself can lose the last few hundred milliseconds of records, which resume then runs again.
 * A record for a (suite, sample, epoch) that is already finished is dropped, an errored one is replaced.
 */
final class PgAppender implements RecordSink {
    static final String INSERT = """
            INSERT INTO samples (run_id, suite, sample_id, epoch, ok, record) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, suite, sample_id, epoch) DO UPDATE
              SET ok = EXCLUDED.ok, record = EXCLUDED.record, seq = nextval('samples_seq'), written = now()
              WHERE NOT samples.ok""";
    private final PgStore store;
    private final String run;
    private final Connection c;
    private final PreparedStatement insert;
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
            this.insert = c.prepareStatement(INSERT);
        } catch (SQLException e) {
            throw store.failure("open run " + run + " for writing", e);
        }
    }

    @Override
    public synchronized void append(SampleRecord record) {
        String line = RunLog.toLine(record);
        try {
            insert.setString(1, run);
            insert.setString(2, record.suite());
            insert.setString(3, record.id());
            insert.setInt(4, record.epoch());
            insert.setBoolean(5, record.ok());
            insert.setString(6, line);
            insert.executeUpdate();
            records++;
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        } catch (SQLException e) {
            throw new AssayException(ExitCode.INTERRUPTED, "store " + store.location() + ": cannot record sample " + record.id()
                    + " of run " + run + " (" + StoreUrl.maskAll(String.valueOf(e.getMessage()).lines().findFirst().orElse("?"))
                    + "). Finished samples are saved; continue with: assay run --resume " + run + " --store " + store.location(), e);
        }
    }

    @Override
    public void sync() {
        // each append is its own committed transaction
    }

    @Override
    public synchronized long bytesPerRecord() {
        return records == 0 ? 0 : bytes / records;
    }

    @Override
    public synchronized void close() {
        PgStore.closeQuietly(insert);
        PgStore.closeQuietly(c);
    }
}
