package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.run.Json;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import dev.assay.run.Usage;
import dev.assay.store.RecordSink;
import dev.assay.store.Store;
import dev.assay.store.StoredRun;
import dev.assay.store.WriterLock;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A run as rows: its runs row (header, results, usage as json), run_documents, and samples in write order. */
final class PgRun implements StoredRun {
    private final PgStore store;
    private final String id;

    PgRun(PgStore store, String id) {
        this.store = store;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public String where() {
        return store.location() + " (run " + id + ")";
    }

    private Optional<String> column(String column) {
        return store.sql("read the " + column + " of run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private void setColumn(String column, String json, String extra, String extraValue) {
        store.sql("write the " + column + " of run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET " + column + " = ?::json"
                    + (extra == null ? "" : ", " + extra) + ", updated = now() WHERE id = ?")) {
                int i = 1;
                ps.setString(i++, json);
                if (extra != null) ps.setString(i++, extraValue);
                ps.setString(i, id);
                if (ps.executeUpdate() != 1) throw new SQLException("no run " + id);
                return null;
            }
        });
    }

    @Override
    public RunHeader header() {
        String json = column("header").orElseThrow(() -> new AssayException("run " + id + " in " + store.location()
                + " has no header (it was created but never started)"));
        return RunStore.parseHeader(json, where());
    }

    @Override
    public void writeHeader(RunHeader header) {
        // created is set here too, so the run sorts right in 'list runs' before its first index row.
        setColumn("header", RunStore.toJson(header), "created = CASE WHEN created = '' THEN ? ELSE created END", header.created());
    }

    @Override
    public Results results() {
        String json = column("results").orElseThrow(() -> new AssayException("run " + id + " (" + store.location()
                + ") has no results yet: finish it with 'assay run --resume " + id + " --store " + store.location() + "'"));
        return RunStore.parseResults(json, where());
    }

    @Override
    public boolean hasResults() {
        return column("results").isPresent();
    }

    @Override
    public void writeResults(Results results) {
        setColumn("results", RunStore.toJson(results), null, null);
    }

    @Override
    public Optional<Usage> usage() {
        return column("usage").map(json -> {
            try {
                return Json.MAPPER.readValue(json, Usage.class);
            } catch (IOException e) {
                throw new AssayException("cannot read the usage of " + where() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void writeUsage(Usage usage) {
        setColumn("usage", RunStore.toJson(usage), null, null);
    }

    @Override
    public Optional<String> document(String name) {
        return switch (name) {
            case RunStore.HEADER -> column("header");
            case RunStore.RESULTS -> column("results");
            case Usage.FILE -> column("usage");
            default -> store.sql("read " + name + " of run " + id, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT body FROM run_documents WHERE run_id = ? AND name = ?")) {
                    ps.setString(1, id);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
        };
    }

    @Override
    public void writeDocument(String name, Object value) {
        String json = value instanceof String s ? s : RunStore.toJson(value);
        switch (name) {
            case RunStore.HEADER -> setColumn("header", json, null, null);
            case RunStore.RESULTS -> setColumn("results", json, null, null);
            case Usage.FILE -> setColumn("usage", json, null, null);
            default -> store.sql("write " + name + " of run " + id, c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO run_documents (run_id, name, body) VALUES (?, ?, ?::json)
                        ON CONFLICT (run_id, name) DO UPDATE SET body = EXCLUDED.body""")) {
                    ps.setString(1, id);
                    ps.setString(2, name);
                    ps.setString(3, json);
                    return ps.executeUpdate();
                }
            });
        }
    }

    @Override
    public Map<String, SampleRecord> records() {
        return read(false);
    }

    @Override
    public Map<String, SampleRecord> summaries() {
        return read(true);
    }

    private Map<String, SampleRecord> read(boolean summaries) {
        Map<String, SampleRecord> out = new LinkedHashMap<>();
        long[] n = {0};
        eachRecordJson(line -> {
            n[0]++;
            SampleRecord r = RunLog.parseRecord(line, where() + " record " + n[0]);
            if (summaries) r = RunLog.summary(r);
            SampleRecord prior = out.get(r.key());
            if (prior != null && prior.ok()) return;
            out.remove(r.key());
            out.put(r.key(), r);
        });
        return out;
    }

    @Override
    public void eachRecordJson(Consumer<String> line) {
        store.sql("read the samples of run " + id, c -> {
            // A cursor (autocommit off + fetch size), so a 10^5-sample run is not held in memory at once.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM samples WHERE run_id = ? ORDER BY seq")) {
                ps.setFetchSize(500);
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) line.accept(rs.getString(1));
                }
            } finally {
                c.commit();
            }
            return null;
        });
    }

    @Override
    public long recordCount() {
        return store.sql("count the samples of run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM samples WHERE run_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public RecordSink appender() {
        return new PgAppender(store, id);
    }

    @Override
    public RunLog.Repair repair() {
        return new RunLog.Repair(0, 0); // the primary key allows one record per (suite, sample, epoch): nothing to drop
    }

    @Override
    public WriterLock lock() {
        return PgLock.acquire(store, id);
    }

    @Override
    public Optional<String> writer() {
        return PgLock.holder(store, id);
    }

    /**
     * A read-only local copy (header.json, samples.jsonl, results.json, usage.json, other documents) under
     * java.io.tmpdir, rewritten when the run has more records or new results than the copy: for the readers
     * that work on files (the viewer's offset index of samples.jsonl). Nothing written there goes back.
     */
    @Override
    public Path folder() {
        Path dir = store.viewRoot().resolve(id);
        synchronized (PgRun.class) {
            // What the copy was made from: records (count, last write), and the run row's last change (header,
            // results, usage, index row), so a copy is never taken for a newer state or another database's run.
            String stamp = store.sql("check the copy of run " + id, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) || ' ' || coalesce(max(seq), 0) FROM samples "
                        + "WHERE run_id = ?) || ' ' || r.updated || ' ' || (r.results IS NOT NULL) FROM runs r WHERE r.id = ?")) {
                    ps.setString(1, id);
                    ps.setString(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : "";
                    }
                }
            }) + " " + store.location();
            Path marker = dir.resolve(".copied");
            try {
                if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) return dir;
                Path tmp = Files.createDirectories(store.viewRoot()).resolve(id + ".tmp-" + ProcessHandle.current().pid());
                deleteTree(tmp);
                Files.createDirectories(tmp);
                Files.writeString(tmp.resolve(RunStore.HEADER), column("header").orElseThrow(() -> new AssayException("run " + id + " has no header")));
                for (String name : new String[]{RunStore.RESULTS, Usage.FILE}) {
                    Optional<String> doc = document(name);
                    if (doc.isPresent()) Files.writeString(tmp.resolve(name), doc.get());
                }
                store.sql("read the documents of run " + id, c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT name, body FROM run_documents WHERE run_id = ?")) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) Files.writeString(tmp.resolve(Path.of(rs.getString(1)).getFileName().toString()), rs.getString(2));
                        }
                    } catch (IOException e) {
                        throw new SQLException(e);
                    }
                    return null;
                });
                try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve(RunStore.SAMPLES), StandardCharsets.UTF_8)) {
                    IOException[] failed = {null};
                    eachRecordJson(line -> {
                        try {
                            w.write(line);
                            w.write('\n');
                        } catch (IOException e) {
                            failed[0] = e;
                        }
                    });
                    if (failed[0] != null) throw failed[0];
                }
                Files.writeString(tmp.resolve(".copied"), stamp);
                deleteTree(dir);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                return dir;
            } catch (IOException e) {
                throw new AssayException("cannot copy run " + id + " from " + store.location() + " to " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public String toString() {
        return where();
    }
}
