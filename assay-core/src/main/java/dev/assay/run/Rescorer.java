package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Origin;
import dev.assay.model.CallTag;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.ModelOptions;
import dev.assay.suite.Scorer;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;
import dev.assay.suite.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;

/**
 * Re-scores a finished run from its log: each suite's scorer runs again over every logged transcript,
 * with the role models given now (e.g. a different judge), and never with the evaluated model, which is
 * not even opened. The result is a new run folder: its samples.jsonl holds the same transcripts with new
 * scores, its header the source run's spec with the new roles, and {@value #SOURCE} names the source run;
 * the index lists it with status "rescored".
 *
 * <p>Model calls with origin "scorer" (a judge called while scoring) are dropped before re-scoring and the
 * new scorer's calls take their place; every other event is the solver's and is kept as it was, whatever
 * the role's name. It runs in the same sample loop as a run ({@code SampleLoop}).
 */
public final class Rescorer {
    public static final String SOURCE = "rescored-from.json";
    private final dev.assay.store.Store store;
    private final DataStore data;
    private final Suites suites;
    private final BiFunction<String, ModelOptions, Model> opener;

    /** rescored-from.json: the source run and the roles the scores came from. */
    public record Source(String run, String dir, Map<String, String> roles, String created) {
    }

    public Rescorer(RunStore store, DataStore data, Suites suites, BiFunction<String, ModelOptions, Model> opener) {
        this(new dev.assay.store.FolderStore(store), data, suites, opener);
    }

    public Rescorer(dev.assay.store.Store store, DataStore data, Suites suites, BiFunction<String, ModelOptions, Model> opener) {
        this.store = store;
        this.data = data;
        this.suites = suites;
        this.opener = opener;
    }

    /**
     * @param roles role models to score with; each replaces the source run's model for that role, and
     *              roles not given keep the source run's
     */
    public Runner.Outcome rescore(String ref, Map<String, String> roles) {
        dev.assay.store.StoredRun src = store.find(ref);
        RunHeader header = src.header();
        RunSpec was = header.spec();
        Map<String, SampleRecord> log = src.records();
        if (log.isEmpty()) throw new AssayException("run " + header.id() + " has no samples to re-score (" + src.where() + " has no records)");
        List<Suite> chosen = suites.resolve(was.suites());
        Map<Suite, Map<String, Sample>> loaded = new LinkedHashMap<>();
        Map<Suite, List<Sample>> ordered = new LinkedHashMap<>();
        for (Suite s : chosen) {
            List<Sample> samples = Conditioning.expand(s.load(data, was.limit(), was.settings().params()), Conditioning.of(was, s));
            RunHeader.SuiteInfo info = header.suites().stream().filter(i -> i.name().equals(s.name())).findFirst().orElse(null);
            Map<String, String> hashes = data.hashes(s.dataFiles());
            if (info != null && !info.data().equals(hashes)) {
                throw new AssayException("cannot re-score " + header.id() + ": the data of " + s.name()
                        + " changed since the run (the scorer reads the items); use the data the run used (--data)");
            }
            Map<String, Sample> byId = new LinkedHashMap<>();
            samples.forEach(x -> byId.put(x.id(), x));
            loaded.put(s, byId);
            ordered.put(s, samples);
        }
        Map<String, String> merged = new LinkedHashMap<>(was.roles());
        if (roles != null) merged.putAll(roles);
        Requirements.checkRoles(chosen, merged, " to score");
        RunSpec spec = was.withRoles(merged);

        Map<String, Model> models = openRoles(merged, was);
        try {
            dev.assay.store.StoredRun run = store.create();
            String id = run.id();
            String created = RunHeader.now();
            RunHeader out = new RunHeader(id, created, spec, header.versions(), header.capabilities(), header.suites()).withData(header.data());
            run.writeHeader(out);
            run.writeDocument(SOURCE, new Source(header.id(), src.where(), merged, created));
            Map<Suite, List<SampleLoop.Unit>> units = units(log, chosen, loaded);
            try (dev.assay.store.RecordSink w = run.appender()) {
                SampleLoop.run(spec.seed(), spec.concurrency(), units, Map.of(), w, Runner.Listener.NONE,
                        (u, seed) -> rescoreOne(u, models, spec));
            }
            Map<String, SampleRecord> all = run.records();
            Results results = ResultsCalculator.writeResults(run, id, spec, ordered, all);
            Map<String, dev.assay.model.Capabilities> caps = new LinkedHashMap<>();
            models.forEach((role, m) -> caps.put(role, m.capabilities()));
            Usage usage = Runner.writeUsage(run, spec, all, caps, Map.of());
            int errors = ResultsCalculator.errors(results);
            int ok = (int) all.values().stream().filter(SampleRecord::ok).count();
            store.index(new RunIndex.Entry(id, created, "rescored", spec.model(), String.join(" ", spec.suites()),
                    all.size(), ok, errors, run.where(), "rescored from " + header.id()));
            return new Runner.Outcome(id, run, results, errors, usage);
        } finally {
            new java.util.LinkedHashSet<>(models.values()).forEach(Model::close);
        }
    }

    /** One unit per logged record, in log order, under the suite that wrote it. */
    private static Map<Suite, List<SampleLoop.Unit>> units(Map<String, SampleRecord> log, List<Suite> chosen,
                                                           Map<Suite, Map<String, Sample>> loaded) {
        Map<String, Suite> byName = new LinkedHashMap<>();
        chosen.forEach(s -> byName.put(s.name(), s));
        Map<Suite, List<SampleLoop.Unit>> units = new LinkedHashMap<>();
        chosen.forEach(s -> units.put(s, new ArrayList<>()));
        for (SampleRecord r : log.values()) {
            Suite suite = byName.get(r.suite());
            Sample sample = suite == null ? null : loaded.get(suite).get(r.id());
            if (sample == null) {
                throw new AssayException("the log names " + r.suite() + " sample " + r.id() + ", which the suite's data no longer has");
            }
            units.get(suite).add(new SampleLoop.Unit(suite, sample, r.epoch(), r));
        }
        return units;
    }

    private static SampleRecord rescoreOne(SampleLoop.Unit u, Map<String, Model> models, RunSpec spec) {
        SampleRecord r = u.prior();
        if (!r.ok()) return r; // nothing was answered: it stays an error, for 'assay run --resume' on the source run
        List<Event> kept = r.events().stream()
                .filter(e -> !(e instanceof ModelCall c && c.origin() == Origin.SCORER)).toList();
        Transcript t = Transcript.of(r.method(), kept, r.output());
        Map<String, Model> recording = new LinkedHashMap<>();
        models.forEach((role, m) -> recording.put(role, new RecordingModel(m, role, Origin.SCORER, t::add)));
        long t0 = System.nanoTime();
        try {
            Map<String, Double> scores = u.suite().scorer().score(u.sample(), t,
                    new Scorer.ScoreContext(recording, r.seed(), new CallTag(r.id(), r.epoch(), ""), spec.settings().params()));
            return new SampleRecord(r.suite(), r.id(), r.epoch(), r.seed(), t.method(), u.sample().target(), u.sample().metadata(),
                    t.events(), t.output(), scores, null, (System.nanoTime() - t0) / 1_000_000);
        } catch (ModelCallException | UnsupportedOperationException e) {
            return new SampleRecord(r.suite(), r.id(), r.epoch(), r.seed(), r.method(), u.sample().target(), u.sample().metadata(),
                    t.events(), r.output(), Map.of(), "re-scoring: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Opens the role models only: the evaluated model is never opened, so it cannot be called. */
    private Map<String, Model> openRoles(Map<String, String> roles, RunSpec was) {
        ModelOptions options = new ModelOptions(was.baseUrls(), null, store.workDir(), was.modelOptions());
        Map<String, Model> out = new LinkedHashMap<>();
        try {
            roles.forEach((role, spec) -> out.put(role, opener.apply(spec, options)));
        } catch (RuntimeException e) {
            out.values().forEach(Model::close);
            throw e;
        }
        return out;
    }
}
