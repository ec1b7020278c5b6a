package dev.assay.store;

import dev.assay.run.RunHeader;
import dev.assay.run.RunLog;
import dev.assay.run.Results;
import dev.assay.run.SampleRecord;
import dev.assay.run.Usage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run in a {@link Store}: its header (written once, at the start), its per-sample records (appended as
 * samples finish, never overwritten: where a sample has several, a finished one wins over an errored one
 * and the first finished one wins over later ones), its results and usage (written at the end), and other
 * named JSON documents (e.g. rescored-from.json). One process writes a run at a time ({@link #lock}).
 */
public interface StoredRun {
    String id();

    /** The store it lives in. */
    Store store();

    /**
     * A human-readable place for messages: the run folder, or {@code postgresql://host/db (run ID)} with
     * any password masked.
     */
    String where();

    /** The header, checked to be of the log schema this Assay reads (bad input otherwise). */
    RunHeader header();

    void writeHeader(RunHeader header);

    /** results.json, or bad input saying how to finish the run when it has none yet. */
    Results results();

    boolean hasResults();

    void writeResults(Results results);

    Optional<Usage> usage();

    void writeUsage(Usage usage);

    /** Another JSON document of the run by file name (e.g. "rescored-from.json"), as JSON text. */
    Optional<String> document(String name);

    /** Writes a document: a value as JSON, or a String as the JSON text it already is. */
    void writeDocument(String name, Object value);

    /** Every record by {@link SampleRecord#key}, in the order first written (as {@link RunLog#read}). */
    Map<String, SampleRecord> records();

    /** The same, reduced to what results and usage need ({@link RunLog#readSummaries}): memory per record is small. */
    Map<String, SampleRecord> summaries();

    /** Every stored record line in write order, streamed (duplicates included), as JSON text. */
    void eachRecordJson(Consumer<String> line);

    /** How many records are stored (duplicates included). */
    long recordCount();

    /** Opens the run for appending records; the caller holds {@link #lock}. */
    RecordSink appender();

    /**
     * Drops records a second writer left behind (later records of a finished sample, unreadable ones) and
     * says what it dropped. A store whose keys are unique (PostgreSQL) has nothing to drop.
     */
    RunLog.Repair repair();

    /**
     * The exclusive writer's lock: an OS file lock (folder) or a session advisory lock (PostgreSQL); either
     * is dropped when the holding process dies, however it dies. Bad input (exit 2) naming the holder when
     * another process holds it.
     */
    WriterLock lock();

    /** Who holds {@link #lock} ("12345" or "12345@host"), or empty if no live process does. */
    Optional<String> writer();

    /**
     * A local folder with header.json, samples.jsonl, results.json and usage.json for the readers that work
     * on files (the viewer's offset index, generated-set selection): the run folder itself for a folder
     * store; a read-only copy, refreshed when the run has more records, for PostgreSQL.
     */
    Path folder();
}
