package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.suite.Suite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one loop over (sample, epoch) units that runs, re-scoring (and later generation pipelines) share:
 * each unit on its own virtual thread under a concurrency limit, its seed derived from (run seed, suite,
 * sample, epoch) so results do not depend on scheduling, each record appended to the log as it
 * finishes, units already finished in the log skipped (resume). A user error (AssayException) or a bug
 * in one unit stops the loop from starting more and is rethrown once the units in flight are done.
 */
final class SampleLoop {
    /** One sample in one epoch; {@code prior} is its record in a source log (re-scoring), or null. */
    record Unit(Suite suite, Sample sample, int epoch, SampleRecord prior) {
        String key() {
            return SampleRecord.key(suite.name(), sample.id(), epoch);
        }
    }

    /** What one unit does, given its seed. */
    @FunctionalInterface
    interface Work {
        SampleRecord run(Unit unit, long seed);
    }

    private SampleLoop() {
    }

    /** Every sample of every suite in every epoch, in order. */
    static Map<Suite, List<Unit>> units(Map<Suite, List<Sample>> loaded, int epochs) {
        Map<Suite, List<Unit>> out = new LinkedHashMap<>();
        loaded.forEach((suite, samples) -> {
            List<Unit> u = new java.util.ArrayList<>();
            for (Sample s : samples)
                for (int e = 1; e <= epochs; e++) u.add(new Unit(suite, s, e, null));
            out.put(suite, u);
        });
        return out;
    }

    /**
     * @param done records already in the log: units whose record is ok are skipped
     */
    static void run(long runSeed, int concurrency, Map<Suite, List<Unit>> units, Map<String, SampleRecord> done,
                    dev.assay.store.RecordSink log, Runner.Listener listener, Work work) {
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        Semaphore permits = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var entry : units.entrySet()) {
                List<Unit> todo = entry.getValue().stream().filter(u -> {
                    SampleRecord r = done.get(u.key());
                    return r == null || !r.ok();
                }).toList();
                listener.suiteStarted(entry.getKey().name(), entry.getValue().size(), entry.getValue().size() - todo.size());
                for (Unit u : todo) {
                    if (fatal.get() != null) break;
                    permits.acquireUninterruptibly();
                    // An item's seed is the same under every condition, so conditions differ by their prompts alone.
                    long seed = Seeds.forSample(runSeed, u.suite().name(), dev.assay.suite.Condition.itemOf(u.sample()), u.epoch());
                    pool.submit(() -> {
                        try {
                            SampleRecord r = work.run(u, seed);
                            log.append(r);
                            listener.sampleFinished(r);
                        } catch (Throwable t) {
                            fatal.compareAndSet(null, t);
                        } finally {
                            permits.release();
                        }
                    });
                }
            }
        }
        if (fatal.get() instanceof AssayException ae) throw ae;
        if (fatal.get() != null) throw new IllegalStateException("a sample failed unexpectedly", fatal.get());
    }
}
