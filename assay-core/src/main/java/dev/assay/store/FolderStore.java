package dev.assay.store;

import dev.assay.AssayException;
import dev.assay.cache.ResponseCache;
import dev.assay.run.Json;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunIndex;
import dev.assay.run.RunLock;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import dev.assay.run.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded default store: a folder of run folders (header.json, samples.jsonl, results.json, usage.json)
 * with index.sqlite and response-cache.sqlite beside them ({@link RunStore}, {@link RunLog}, {@link RunLock},
 * {@link RunIndex}).
 */
public final class FolderStore implements Store {
    private final RunStore runs;
    private ResponseCache cache;

    public FolderStore(Path root) {
        this(new RunStore(root));
    }

    public FolderStore(RunStore runs) {
        this.runs = runs;
    }

    @Override
    public String asOption() {
        return "--out " + runs.root();
    }

    @Override
    public Path workDir() {
        return runs.root();
    }

    /** The folder store's own API, for code that works on run folders. */
    public RunStore runStore() {
        return runs;
    }

    public Path root() {
        return runs.root();
    }

    @Override
    public String location() {
        return runs.root().toString();
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public List<RunIndex.Entry> runs() {
        return runs.index().list();
    }

    @Override
    public Optional<RunIndex.Entry> entry(String id) {
        return Optional.ofNullable(runs.index().get(id));
    }

    @Override
    public void index(RunIndex.Entry entry) {
        runs.index().put(entry);
    }

    @Override
    public StoredRun create() {
        return new Run(this, runs.newRunDir());
    }

    @Override
    public StoredRun create(String id) {
        Path dir = runs.root().resolve(id);
        if (Files.exists(dir.resolve(RunStore.HEADER))) throw new AssayException("run " + id + " is in " + location() + " already");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssayException("cannot create run folder " + dir + ": " + e.getMessage(), e);
        }
        return new Run(this, dir);
    }

    @Override
    public StoredRun find(String ref) {
        return new Run(this, runs.find(ref));
    }

    @Override
    public boolean contains(String id) {
        return Files.isRegularFile(runs.root().resolve(id).resolve(RunStore.HEADER));
    }

    /** A run of this store by its folder. */
    public StoredRun at(Path dir) {
        return new Run(this, dir.toAbsolutePath().normalize());
    }

    /**
     * A run folder on its own, for code handed a folder rather than a store; its {@link StoredRun#store()}
     * is the folder around it, opened only if asked for.
     */
    public static StoredRun runAt(Path dir) {
        return new Run(null, dir.toAbsolutePath().normalize());
    }

    @Override
    public synchronized ResponseCache cache() {
        if (cache == null) cache = ResponseCache.open(runs.root());
        return cache;
    }

    @Override
    public synchronized void close() {
        if (cache != null) cache.close();
        cache = null;
    }

    /** A run folder. */
    private static final class Run implements StoredRun {
        private final Path dir;
        private FolderStore owner;

        Run(FolderStore owner, Path dir) {
            this.owner = owner;
            this.dir = dir;
        }

        @Override
        public String id() {
            return dir.getFileName().toString();
        }

        @Override
        public synchronized Store store() {
            if (owner == null) owner = new FolderStore(dir.getParent());
            return owner;
        }

        @Override
        public String where() {
            return dir.toString();
        }

        @Override
        public RunHeader header() {
            return RunStore.readHeader(dir);
        }

        @Override
        public void writeHeader(RunHeader header) {
            RunStore.writeJson(dir.resolve(RunStore.HEADER), header);
        }

        @Override
        public Results results() {
            return RunStore.readResults(dir);
        }

        @Override
        public boolean hasResults() {
            return Files.isRegularFile(dir.resolve(RunStore.RESULTS));
        }

        @Override
        public void writeResults(Results results) {
            RunStore.writeJson(dir.resolve(RunStore.RESULTS), results);
        }

        @Override
        public Optional<Usage> usage() {
            Path f = dir.resolve(Usage.FILE);
            if (!Files.isRegularFile(f)) return Optional.empty();
            try {
                return Optional.of(Json.MAPPER.readValue(f.toFile(), Usage.class));
            } catch (IOException e) {
                throw new AssayException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void writeUsage(Usage usage) {
            RunStore.writeJson(dir.resolve(Usage.FILE), usage);
        }

        @Override
        public Optional<String> document(String name) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) return Optional.empty();
            try {
                return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssayException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void writeDocument(String name, Object value) {
            if (!(value instanceof String json)) {
                RunStore.writeJson(dir.resolve(name), value);
                return;
            }
            try { // JSON text as it is (a copy from another store)
                Path tmp = dir.resolve(name + ".tmp");
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new AssayException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Map<String, SampleRecord> records() {
            return RunLog.read(dir.resolve(RunStore.SAMPLES));
        }

        @Override
        public Map<String, SampleRecord> summaries() {
            return RunLog.readSummaries(dir.resolve(RunStore.SAMPLES));
        }

        @Override
        public void eachRecordJson(Consumer<String> line) {
            RunLog.eachRecordLine(dir.resolve(RunStore.SAMPLES), line);
        }

        @Override
        public long recordCount() {
            long[] n = {0};
            eachRecordJson(l -> n[0]++);
            return n[0];
        }

        @Override
        public RecordSink appender() {
            return RunLog.open(dir.resolve(RunStore.SAMPLES));
        }

        @Override
        public RunLog.Repair repair() {
            return RunLog.repair(dir.resolve(RunStore.SAMPLES));
        }

        @Override
        public WriterLock lock() {
            return RunLock.acquire(dir);
        }

        @Override
        public Optional<String> writer() {
            return Optional.ofNullable(RunLock.holder(dir));
        }

        @Override
        public Path folder() {
            return dir;
        }
    }
}
