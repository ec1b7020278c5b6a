package dev.assay.cache;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The model-response cache of a run store, mapping a {@link CacheKey} to the JSON of a model's answer:
 * {@link SqliteResponseCache} beside a folder store, the {@code cache} table in PostgreSQL. Safe for many
 * threads. Holds no keys or tokens (the {@link CacheKey} hashes what the answer depends on).
 */
public interface ResponseCache extends AutoCloseable {
    String FILE_NAME = "response-cache.sqlite";

    /** Opens (creating if needed) the SQLite cache in a folder store. */
    static ResponseCache open(Path storeDir) {
        return SqliteResponseCache.open(storeDir);
    }

    /** Where it is, for messages: a file, or a masked URL. */
    String location();

    Optional<String> get(CacheKey key);

    void put(CacheKey key, String model, String op, String valueJson);

    /** One line of {@code assay cache list}: what is cached for one model. */
    record Entry(String model, String op, long count, long bytes, Instant oldest, Instant newest) {
    }

    List<Entry> list();

    /** Deletes entries older than {@code before}, and only for {@code model} if it is not null. */
    int prune(Instant before, String model);

    int clear();

    long size();

    @Override
    void close();
}
