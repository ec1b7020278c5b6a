package dev.assay.store;

import dev.assay.cache.ResponseCache;
import dev.assay.run.RunIndex;

import java.util.List;
import java.util.Optional;

/**
 * The run store, the one door every command reads and writes runs through: the index of runs, each run's
 * header, per-sample records, results and usage, and the response cache. Two backends sit behind it: a
 * folder ({@link FolderStore}: one sub-folder per run, index.sqlite, response-cache.sqlite — the embedded
 * default) and a PostgreSQL database ({@code dev.assay.store.pg.PgStore}: rows in runs, samples, cache).
 * Open one with {@link Stores#open}. Safe for many threads.
 */
public interface Store extends AutoCloseable {
    /**
     * Where the store is, for messages and headers: a folder's absolute path, or the URL with any password
     * replaced by {@code ***} ({@link StoreUrl#masked}). Never holds a secret.
     */
    String location();

    /** The option that names this store on a command line, for printed commands: "--out DIR" or "--store URL". */
    String asOption();

    /**
     * A local folder for providers that keep state between runs (batch jobs): the folder store itself, or
     * a folder under ~/.cache/assay for a database store.
     */
    java.nio.file.Path workDir();

    /**
     * This store for readers that must not change it (the viewer over a shared store): a database store
     * opens sessions the server keeps read-only (default_transaction_read_only), so any write fails there.
     * A folder store is itself.
     */
    default Store readOnly() {
        return this;
    }

    /** True when other machines may read and write this store at the same time (PostgreSQL). */
    boolean shared();

    /** Every run in the index, oldest first (created, then id). */
    List<RunIndex.Entry> runs();

    /** The index row of one run, if any. */
    Optional<RunIndex.Entry> entry(String id);

    /** Adds or updates a run's index row (status, counts, summary). */
    void index(RunIndex.Entry entry);

    /** A new, empty run with a fresh id (yyyyMMdd-HHmmss-xxxx); its header is written next. */
    StoredRun create();

    /**
     * A new, empty run with the given id, for {@code assay store copy}; bad input (exit 2) if the id is
     * taken already.
     */
    StoredRun create(String id);

    /**
     * A run by id; a folder store also takes a path to a run folder. Bad input (exit 2) naming the store
     * and {@code assay list runs} when there is none.
     */
    StoredRun find(String ref);

    /** True if a run with this id exists (has a header). */
    boolean contains(String id);

    /** The model-response cache of this store, opened on first use and closed with the store. */
    ResponseCache cache();

    @Override
    void close();
}
