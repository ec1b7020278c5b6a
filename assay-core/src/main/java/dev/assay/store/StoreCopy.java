package dev.assay.store;

import dev.assay.AssayException;
import dev.assay.run.RunIndex;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code assay store copy FROM TO}: runs from one store to another under the same ids — header, every
 * record in write order, results, usage, other documents and the index row — through the {@link Store} door,
 * so any backend copies to any other. A run the destination has already is skipped, never overwritten;
 * a run being written (its writer lock held) is copied as it is at that moment and keeps its status.
 */
public final class StoreCopy {
    private StoreCopy() {
    }

    /** What one run's copy did. */
    public record Copied(String id, long records, boolean skipped, String why) {
    }

    /** Copies {@code ids} (every run of {@code from} when empty). */
    public static List<Copied> copy(Store from, Store to, List<String> ids) {
        List<String> todo = new ArrayList<>(ids);
        if (todo.isEmpty()) from.runs().forEach(e -> todo.add(e.id()));
        List<Copied> out = new ArrayList<>();
        for (String id : todo) {
            if (!from.contains(id)) throw new AssayException("no run '" + id + "' in " + from.location());
            if (to.contains(id)) {
                out.add(new Copied(id, 0, true, "already in " + to.location()));
                continue;
            }
            out.add(copyRun(from.find(id), to));
        }
        return out;
    }

    private static Copied copyRun(StoredRun src, Store to) {
        StoredRun dst = to.create(src.id());
        String header = src.document(RunStore.HEADER).orElseThrow(() -> new AssayException("run " + src.id() + " has no header"));
        dst.writeHeader(RunStore.parseHeader(header, src.where()));
        long n = 0;
        try (RecordSink sink = dst.appender()) {
            long[] count = {0};
            src.eachRecordJson(line -> {
                sink.append(RunLog.parseRecord(line, src.where() + " record " + (count[0] + 1)));
                count[0]++;
            });
            n = count[0];
        }
        if (src.hasResults()) dst.writeResults(src.results());
        src.usage().ifPresent(dst::writeUsage);
        for (String doc : List.of(dev.assay.run.Rescorer.SOURCE)) src.document(doc).ifPresent(json -> dst.writeDocument(doc, json));
        RunIndex.Entry e = src.store().entry(src.id()).orElse(null);
        if (e != null) {
            to.index(new RunIndex.Entry(e.id(), e.created(), e.status(), e.model(), e.suites(), e.samples(), e.done(), e.errors(),
                    dst.where(), e.summary()));
        }
        return new Copied(src.id(), n, false, null);
    }
}
