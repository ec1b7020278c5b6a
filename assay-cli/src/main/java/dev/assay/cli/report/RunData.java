package dev.assay.cli.report;

import dev.assay.cli.Sweep;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunStore;
import dev.assay.store.FolderStore;
import dev.assay.store.Store;
import dev.assay.store.StoredRun;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished run as reports read it: its header, its results, and the sweep metadata recorded with the
 * model (label, params, rlhf_steps, family), if the run was part of a sweep.
 */
public record RunData(String id, Path dir, RunHeader header, Results results, StoredRun run) {
    /** A run read from a folder ({@code dir}; null for a run made up in a test). */
    public RunData(String id, Path dir, RunHeader header, Results results) {
        this(id, dir, header, results, dir == null ? null : FolderStore.runAt(dir));
    }

    public static RunData load(RunStore store, String ref) {
        return load(new FolderStore(store), ref);
    }

    /**
     * A run from any store; {@code dir} is its folder in a folder store and null in a database store (the
     * readers that need files ask {@link StoredRun#folder} for a local copy).
     */
    public static RunData load(Store store, String ref) {
        StoredRun run = store.find(ref);
        RunHeader h = run.header();
        return new RunData(h.id(), store instanceof FolderStore ? run.folder() : null, h, run.results(), run);
    }

    /** Sweep metadata without the prefix, e.g. {label=52B, params=5.2e10}. Empty outside a sweep. */
    Map<String, String> sweep() {
        Map<String, String> m = new LinkedHashMap<>();
        header.spec().modelOptions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getKey().startsWith(Sweep.PREFIX))
                .forEach(e -> m.put(e.getKey().substring(Sweep.PREFIX.length()), e.getValue()));
        return m;
    }

    /** What to call this run in legends: the sweep label, else the model. */
    public String label() {
        String l = sweep().get("label");
        return l != null ? l : header.spec().model();
    }

    /** A numeric sweep field, or NaN when absent or not a number. */
    double number(String key) {
        String v = sweep().get(key);
        if (v == null) return Double.NaN;
        try {
            return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
