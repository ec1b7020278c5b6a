package dev.assay.run;

import dev.assay.AssayException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A folder of runs (default ./assay-runs, --out): one sub-folder per run holding header.json,
 * samples.jsonl and results.json, plus index.sqlite over all of them.
 */
public final class RunStore {
    public static final String HEADER = "header.json";
    public static final String SAMPLES = "samples.jsonl";
    public static final String RESULTS = "results.json";
    private final Path root;
    private final RunIndex index;

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        // The store is created on first write; a file in its way would only give "cannot create X: X".
        for (Path p = this.root; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) break;
            if (Files.exists(p)) {
                throw new AssayException("--out " + this.root + ": " + (p.equals(this.root) ? "" : p + " ")
                        + "is a file, not a folder. Give a folder for the run store (it is created if missing).");
            }
        }
        this.index = new RunIndex(this.root.resolve("index.sqlite"));
    }

    public Path root() {
        return root;
    }

    public RunIndex index() {
        return index;
    }

    public Path newRunDir() {
        String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
        Path dir = root.resolve(id);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw RunLog.noRoom(dir, e).orElseGet(() -> new AssayException("cannot create run folder " + dir + " (--out " + root + "): "
                    + e.getMessage(), e));
        }
        return dir;
    }

    /** A run by id (in this store) or by path to its folder. */
    public Path find(String ref) {
        Path asPath = Path.of(ref);
        if (Files.isRegularFile(asPath.resolve(HEADER))) return asPath.toAbsolutePath().normalize();
        Path inStore = root.resolve(ref);
        if (Files.isRegularFile(inStore.resolve(HEADER))) return inStore;
        throw new AssayException("no run '" + ref + "' in " + root + " (looked for " + inStore.resolve(HEADER)
                + "). 'assay list runs --out " + root + "' lists the runs there.");
    }

    public static RunHeader readHeader(Path dir) {
        RunHeader h;
        try {
            h = Json.MAPPER.readValue(dir.resolve(HEADER).toFile(), RunHeader.class);
        } catch (IOException e) {
            throw new AssayException("cannot read " + dir.resolve(HEADER) + ": " + e.getMessage(), e);
        }
        // Older logs keep model calls in another shape; they are not read back (their results.json stays valid).
        if (h.logSchema() != dev.assay.event.Event.LOG_SCHEMA) {
            throw new AssayException("run " + h.id() + " (" + dir + ") was written with log schema " + h.logSchema()
                    + "; this Assay reads log schema " + dev.assay.event.Event.LOG_SCHEMA
                    + " (docs/log-schema.json). Run it again to view, re-score, resume or compare it.");
        }
        return h;
    }

    public static Results readResults(Path dir) {
        Path f = dir.resolve(RESULTS);
        if (!Files.isRegularFile(f)) throw new AssayException("run " + dir + " has no results yet: finish it with 'assay run --resume " + dir.getFileName() + "'");
        try {
            return Json.RESULTS.readValue(f.toFile(), Results.class);
        } catch (IOException e) {
            throw new AssayException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The JSON text {@link #writeJson} writes for {@code value} (pretty-printed, keys in a stable order). */
    public static String toJson(Object value) {
        try {
            return (value instanceof Results ? Json.RESULTS : Json.MAPPER).writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A header from its JSON text, checked to be of the log schema this Assay reads; {@code where} names it in messages. */
    public static RunHeader parseHeader(String json, String where) {
        RunHeader h;
        try {
            h = Json.MAPPER.readValue(json, RunHeader.class);
        } catch (IOException e) {
            throw new AssayException("cannot read the header of " + where + ": " + e.getMessage(), e);
        }
        if (h.logSchema() != dev.assay.event.Event.LOG_SCHEMA) {
            throw new AssayException("run " + h.id() + " (" + where + ") was written with log schema " + h.logSchema()
                    + "; this Assay reads log schema " + dev.assay.event.Event.LOG_SCHEMA
                    + " (docs/log-schema.json). Run it again to view, re-score, resume or compare it.");
        }
        return h;
    }

    /** Results from their JSON text. */
    public static Results parseResults(String json, String where) {
        try {
            return Json.RESULTS.readValue(json, Results.class);
        } catch (IOException e) {
            throw new AssayException("cannot read the results of " + where + ": " + e.getMessage(), e);
        }
    }

    /** Writes a JSON file atomically (temp file + rename), so no reader sees half a file. */
    public static void writeJson(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            (value instanceof Results ? Json.RESULTS : Json.MAPPER).writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a stale .tmp is overwritten next time
            }
            throw RunLog.noRoom(file, e).orElseGet(() -> new AssayException("cannot write " + file + ": " + e.getMessage(), e));
        }
    }
}
