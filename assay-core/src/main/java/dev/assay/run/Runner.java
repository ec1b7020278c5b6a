package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.model.CallTag;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.ModelOptions;
import dev.assay.event.Origin;
import dev.assay.event.SandboxSnapshot;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import dev.assay.suite.Environment;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.SampleState;
import dev.assay.suite.Scorer;
import dev.assay.suite.SolveContext;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;
import dev.assay.suite.Transcript;

import dev.assay.store.RecordSink;
import dev.assay.store.Store;
import dev.assay.store.StoredRun;
import dev.assay.store.WriterLock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Runs suites against a model: loads every suite's samples first (bad data stops the run before any
 * model call), writes the header, then solves and scores each (sample, epoch) on its own virtual
 * thread under a concurrency limit, appending each record to the log as it finishes. Results are
 * computed from the log at the end. Resume re-reads the header and log and runs only what is missing.
 */
public final class Runner {
    private final Store store;
    private final DataStore data;
    private final Suites suites;
    private final BiFunction<String, ModelOptions, Model> opener;
    /** What to do after a stop (Ctrl-C, a full disk), given the run's id. */
    private java.util.function.Function<String, String> continueWith;
    /** Whether Ctrl-C is this runner's to handle: not when the run is one step of a larger command's. */
    private boolean ownsInterrupts = true;

    /** Hears about progress; called from worker threads. */
    public interface Listener {
        default void suiteStarted(String suite, int total, int alreadyDone) {
        }

        default void sampleFinished(SampleRecord record) {
        }

        Listener NONE = new Listener() {
        };
    }

    /** What a finished (or resumed) run produced. */
    public record Outcome(String id, StoredRun run, Results results, int errors, Usage usage) {
        /** The run's folder (a read-only local copy for a PostgreSQL store: {@link StoredRun#folder}). */
        public Path dir() {
            return run.folder();
        }
    }

    /** What --dry-run reports per suite: samples, calls it would make, and the first prompt. */
    public record Plan(String suite, int samples, int epochs, long calls, String firstPrompt, Map<String, String> data,
                       dev.assay.suite.CallEstimate estimate) {
    }

    /** A runner over a folder store. */
    public Runner(RunStore store, DataStore data, Suites suites, BiFunction<String, ModelOptions, Model> opener) {
        this(new dev.assay.store.FolderStore(store), data, suites, opener);
    }

    /**
     * @param opener opens each model; {@link dev.assay.cache.CachingModel#opener(Store)} puts the store's
     *               response cache in front of it
     */
    public Runner(Store store, DataStore data, Suites suites, BiFunction<String, ModelOptions, Model> opener) {
        this.store = store;
        this.data = data;
        this.suites = suites;
        this.opener = opener;
        this.continueWith = id -> "assay run --resume " + id + " " + store.asOption();
    }

    /**
     * The runs are steps of a larger command (an experiment of many runs) that handles Ctrl-C itself: the runner
     * installs no hook of its own, and a stop it reports (a full disk) names {@code command} to continue.
     */
    public Runner partOf(String command) {
        this.continueWith = id -> command;
        this.ownsInterrupts = false;
        return this;
    }

    /** Loads and validates everything and builds the prompts; opens no model and calls none. */
    public List<Plan> plan(RunSpec spec) {
        List<Plan> plans = new ArrayList<>();
        Requirements.checkSettings(suites.resolve(spec.suites()), spec.settings());
        for (Suite suite : suites.resolve(spec.suites())) {
            List<Sample> items = suite.load(data, spec.limit(), spec.settings().params());
            PromptFormat format = format(spec, suite);
            List<dev.assay.suite.Condition> conditions = Conditioning.of(spec, suite);
            Conditioning.checkChanges(suite, items, conditions, format);
            List<Sample> samples = Conditioning.expand(items, conditions);
            // Under conditions, the first item as the last condition rewrites it (the first is usually the baseline).
            Sample shown = samples.isEmpty() ? null : samples.get(Math.max(0, Math.min(samples.size(), conditions.size()) - 1));
            dev.assay.suite.Condition c = shown == null ? null : Conditioning.find(conditions, shown);
            dev.assay.model.Prompt firstPrompt = shown == null ? null : suite.preview(shown).render(format);
            if (c != null) firstPrompt = c.apply(firstPrompt);
            String first = switch (firstPrompt) {
                case null -> "";
                case dev.assay.model.Prompt.Text t -> t.text();
                case dev.assay.model.Prompt.Chat ch -> ch.toString();
            };
            if (c != null) first = "(under " + c.option() + ")\n" + first;
            // Suites whose calls depend on the model's text give a finer estimate (null: callsPerSample says it all).
            dev.assay.suite.CallEstimate est = null;
            for (Sample s : samples) {
                dev.assay.suite.CallEstimate e = suite.estimate(s, spec.settings().params());
                if (e != null) est = (est == null ? e : est.plus(e));
            }
            if (est != null) est = est.times(spec.epochs());
            long calls = est != null ? est.generateCalls() + est.answerCalls() : (long) samples.size() * spec.epochs() * suite.callsPerSample();
            plans.add(new Plan(suite.name(), samples.size(), spec.epochs(), calls, first, dataHashes(suite), est));
        }
        return plans;
    }

    /** The run's suites and samples, its roles, settings and sandboxes checked: bad input before any model is opened. */
    private Map<Suite, List<Sample>> loadChecked(RunSpec spec) {
        List<Suite> chosen = suites.resolve(spec.suites());
        Map<Suite, List<Sample>> loaded = load(chosen, spec);
        Requirements.checkRoles(chosen, spec.roles(), "");
        Requirements.checkSettings(chosen, spec.settings());
        checkSandboxes(chosen);
        return loaded;
    }

    public Outcome start(RunSpec spec, Listener listener) {
        Map<Suite, List<Sample>> loaded = loadChecked(spec);
        try (Models models = openModels(spec)) {
            // Before the run folder exists and before any call: a suite the model cannot serve is bad input.
            Requirements.check(loaded, spec, models.main);
            StoredRun run = store.create();
            String id = run.id();
            List<RunHeader.SuiteInfo> infos = new ArrayList<>();
            loaded.forEach((s, samples) -> infos.add(new RunHeader.SuiteInfo(s.name(), samples.size(), dataHashes(s),
                    Conditioning.of(spec, s))));
            try (WriterLock lock = run.lock()) {
                Map<String, Object> caps = new LinkedHashMap<>();
                caps.put(spec.model(), models.main.capabilities());
                models.roles.forEach((role, m) -> caps.putIfAbsent(spec.roles().get(role), m.capabilities()));
                RunHeader header = new RunHeader(id, RunHeader.now(), spec, versions(), caps, infos)
                        .withData(data.localRoot() == null ? null : data.localRoot().toString());
                run.writeHeader(header);
                return execute(header, run, loaded, models, listener, false);
            }
        }
    }

    public Outcome resume(String ref, Listener listener) {
        return resume(ref, listener, false);
    }

    /**
     * Continues a run: every sample not finished yet ({@code onlyErrors} false), or only those whose
     * record is an error (--retry-errors). One process at a time ({@link RunLock}); a log two writers
     * left behind is repaired first.
     */
    public Outcome resume(String ref, Listener listener, boolean onlyErrors) {
        StoredRun run = store.find(ref);
        try (WriterLock lock = run.lock()) {
            return resumeLocked(run, listener, onlyErrors);
        }
    }

    private Outcome resumeLocked(StoredRun run, Listener listener, boolean onlyErrors) {
        RunHeader header = run.header();
        RunLog.Repair repair = run.repair();
        if (repair.changed()) {
            // Only a folder's log can need repair (a database's keys are unique): name its samples.jsonl.
            System.err.println("assay: repaired " + run.folder().resolve(RunStore.SAMPLES) + ": dropped " + repair.duplicates() + " duplicate record(s) and "
                    + repair.unreadable() + " unreadable line(s); kept the first record of each sample.");
        }
        List<Suite> chosen = suites.resolve(header.spec().suites());
        Map<Suite, List<Sample>> loaded = load(chosen, header.spec());
        for (Suite s : chosen) {
            RunHeader.SuiteInfo was = header.suites().stream().filter(i -> i.name().equals(s.name())).findFirst().orElseThrow();
            if (was.samples() != loaded.get(s).size() || !was.data().equals(dataHashes(s))) {
                throw new AssayException("cannot resume " + header.id() + ": the data of " + s.name()
                        + " changed since the run started (" + was.samples() + " samples then, " + loaded.get(s).size() + " now)");
            }
        }
        checkSandboxes(chosen);
        try (Models models = openModels(header.spec())) {
            Requirements.check(loaded, header.spec(), models.main);
            return execute(header, run, loaded, models, listener, onlyErrors);
        }
    }

    private Outcome execute(RunHeader header, StoredRun run, Map<Suite, List<Sample>> loaded, Models models, Listener listener,
                            boolean onlyErrors) {
        RunSpec spec = header.spec();
        // Summaries, not whole records: a resumed 10^5-episode run must not hold every transcript.
        Map<String, SampleRecord> done = run.summaries();
        String dir = run.where();
        int total = loaded.values().stream().mapToInt(List::size).sum() * spec.epochs();
        Store index = store;
        String suiteNames = String.join(" ", spec.suites());
        // Samples finished so far (from the log, then as they finish): what the index shows if the run is interrupted.
        AtomicInteger finished = new AtomicInteger((int) done.values().stream().filter(SampleRecord::ok).count());
        AtomicInteger failed = new AtomicInteger();
        index.index(new RunIndex.Entry(header.id(), header.created(), "running", spec.model(), suiteNames, total,
                finished.get(), 0, dir, ""));

        AtomicReference<Throwable> fatal = new AtomicReference<>();
        long bytesPerRecord;
        Listener counting = new Listener() {
            @Override
            public void suiteStarted(String suite, int n, int alreadyDone) {
                listener.suiteStarted(suite, n, alreadyDone);
            }

            @Override
            public void sampleFinished(SampleRecord r) {
                (r.ok() ? finished : failed).incrementAndGet();
                listener.sampleFinished(r);
            }
        };
        try (RecordSink log = run.appender()) {
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                log.sync();
                index.index(new RunIndex.Entry(header.id(), header.created(), "interrupted", spec.model(), suiteNames, total,
                        finished.get(), failed.get(), dir, ""));
                System.err.println("\nassay: interrupted. Finished samples are saved; continue with: " + continueWith.apply(header.id()));
                Runtime.getRuntime().halt(dev.assay.ExitCode.INTERRUPTED.code());
            });
            if (ownsInterrupts) Runtime.getRuntime().addShutdownHook(hook);
            Map<Suite, List<SampleLoop.Unit>> units = SampleLoop.units(loaded, spec.epochs());
            if (onlyErrors) units.replaceAll((suite, us) -> us.stream().filter(u -> done.containsKey(u.key())).toList());
            try {
                SampleLoop.run(spec.seed(), spec.concurrency(), units, done, log, counting,
                        (u, seed) -> runOne(u.suite(), u.sample(), u.epoch(), seed, spec, models));
            } catch (RuntimeException e) {
                fatal.compareAndSet(null, e);
            }
            if (ownsInterrupts) Runtime.getRuntime().removeShutdownHook(hook);
            bytesPerRecord = log.bytesPerRecord();
        } catch (RunLog.NoRoom e) {
            fatal.compareAndSet(null, e); // closing the log on a full disk
            bytesPerRecord = 0;
        }
        if (fatal.get() != null) {
            // The run stops here and can be resumed: say so in the index (best effort: the disk may be full).
            try {
                index.index(new RunIndex.Entry(header.id(), header.created(), "interrupted", spec.model(), suiteNames, total,
                        finished.get(), failed.get(), dir, ""));
            } catch (AssayException ignored) {
                // 'assay list runs' also sees that no process holds the run's lock
            }
        }
        if (fatal.get() instanceof RunLog.NoRoom nr) {
            int left = Math.max(1, total - finished.get()); // samples still to finish, errored ones included
            long per = bytesPerRecord > 0 ? bytesPerRecord : 1024;
            throw nr.needing(left * per, continueWith.apply(header.id()));
        }
        if (fatal.get() instanceof RuntimeException e) throw e; // SampleLoop wraps anything else

        Map<String, SampleRecord> all = run.summaries();
        Results results = ResultsCalculator.writeResults(run, header.id(), spec, loaded, all);
        Usage usage = writeUsage(run, spec, all, models.capabilities(spec), models.counters());
        int errors = ResultsCalculator.errors(results);
        int ok = (int) all.values().stream().filter(SampleRecord::ok).count();
        index.index(new RunIndex.Entry(header.id(), header.created(), errors == 0 ? "complete" : "complete-with-errors",
                spec.model(), suiteNames, total, ok, errors, dir, summary(results)));
        return new Outcome(header.id(), run, results, errors, usage);
    }

    /**
     * Solves and scores one sample in one epoch. Every model is wrapped for this sample alone so that its
     * calls land in the sample's events: the solver's with origin "solver", the scorer's with "scorer".
     */
    private SampleRecord runOne(Suite suite, Sample sample, int epoch, long seed, RunSpec spec, Models models) {
        CallTag tag = new CallTag(sample.id(), epoch, "");
        PromptFormat format = format(spec, suite);
        Transcript t = new Transcript();
        long t0 = System.nanoTime();
        Sandbox box = null;
        try {
            RunSettings settings = spec.settings();
            dev.assay.suite.Condition condition = Conditioning.find(Conditioning.of(spec, suite), sample);
            SolveContext ctx = new SolveContext(models.recording(t, Origin.SOLVER, condition), models.recordingRoles(t, Origin.SOLVER), format,
                    seed, new SplittableRandom(seed), tag, settings.method(), settings.generation(), settings.params());
            SampleState state = new SampleState(sample, ctx, t);
            box = openSandbox(suite, sample);
            state.sandbox(box);
            suite.solver().solve(state);
            if (box != null) finalSnapshot(t, box);
            Map<String, Double> scores = suite.scorer().score(sample, t,
                    new Scorer.ScoreContext(models.recordingRoles(t, Origin.SCORER), seed, tag, settings.params()));
            return record(suite, sample, epoch, seed, t, scores, null, t0);
        } catch (ModelCallException | UnsupportedOperationException e) {
            if (box != null) finalSnapshot(t, box);
            return record(suite, sample, epoch, seed, t, Map.of(), e.getClass().getSimpleName() + ": " + e.getMessage(), t0);
        } finally {
            if (box != null) box.close();
        }
    }

    /** A fresh sandbox for one (sample, epoch) of a suite that declares an environment, else null. */
    private static Sandbox openSandbox(Suite suite, Sample sample) {
        Environment env = suite.environment();
        if (env == null) return null;
        return SandboxProvider.named(env.provider()).open(env.fixture().apply(sample), env.limits());
    }

    /**
     * The final tree goes into the log as a sandbox-snapshot event, unless the last thing that touched the
     * sandbox was a snapshot already (the agent loop takes one when it ends), so re-scoring never needs it.
     */
    private static void finalSnapshot(Transcript t, Sandbox box) {
        List<dev.assay.event.Event> events = t.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof SandboxSnapshot) return;
            if (events.get(i) instanceof dev.assay.event.ToolResult) break;
        }
        try {
            t.add(new SandboxSnapshot("", box.snapshot()));
        } catch (IllegalStateException ended) {
            t.add(new dev.assay.event.Note("", "the sandbox had ended; its final tree could not be read", Map.of()));
        }
    }

    /**
     * Before the first call: every sandbox provider the chosen suites need can run here (a missing bwrap is
     * bad input, exit 2, with the command that installs it).
     */
    static void checkSandboxes(java.util.Collection<Suite> suites) {
        suites.stream().map(Suite::environment).filter(java.util.Objects::nonNull).map(Environment::provider)
                .distinct().forEach(name -> SandboxProvider.named(name).check());
    }

    static SampleRecord record(Suite suite, Sample sample, int epoch, long seed, Transcript t, Map<String, Double> scores,
                               String error, long t0) {
        return new SampleRecord(suite.name(), sample.id(), epoch, seed, t.method(), sample.target(), sample.metadata(),
                t.events(), error == null ? t.output() : Map.of(), scores, error, (System.nanoTime() - t0) / 1_000_000);
    }

    static Usage writeUsage(StoredRun run, RunSpec spec, Map<String, SampleRecord> all, Map<String, dev.assay.model.Capabilities> caps,
                            Map<String, Map<String, Long>> counters) {
        for (var e : spec.settings().prices().entrySet()) Usage.parsePrice(e.getKey(), e.getValue());
        Usage usage = Usage.of(all.values(), spec.settings().prices(), caps, counters);
        run.writeUsage(usage);
        return usage;
    }

    /** Every suite's samples: its items, each under every condition of the run (checked to change some prompt). */
    private Map<Suite, List<Sample>> load(List<Suite> chosen, RunSpec spec) {
        Map<Suite, List<Sample>> loaded = new LinkedHashMap<>();
        for (Suite s : chosen) {
            List<Sample> items = s.load(data, spec.limit(), spec.settings().params());
            List<dev.assay.suite.Condition> conditions = Conditioning.of(spec, s);
            Conditioning.checkChanges(s, items, conditions, format(spec, s));
            loaded.put(s, Conditioning.expand(items, conditions));
        }
        return loaded;
    }

    static PromptFormat format(RunSpec spec, Suite suite) {
        if (spec.format() == null || spec.format().isBlank()) return suite.defaultFormat();
        try {
            return PromptFormat.valueOf(spec.format().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AssayException("--format " + spec.format() + ": expected raw or chat");
        }
    }

    private Map<String, String> dataHashes(Suite suite) {
        return data.hashes(suite.dataFiles());
    }

    private static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        Package p = Runner.class.getPackage();
        v.put("assay", p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion());
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    private static String summary(Results r) {
        StringBuilder sb = new StringBuilder();
        for (Results.SuiteResults s : r.suites()) {
            if (s.metrics().isEmpty()) continue;
            Results.MetricValue m = s.metrics().getFirst();
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(s.suite()).append(' ').append(m.name()).append('=').append(String.format(Locale.ROOT, "%.3f", m.value()));
        }
        return sb.toString();
    }

    private Models openModels(RunSpec spec) {
        ModelOptions options = new ModelOptions(spec.baseUrls(), null, store.workDir(), spec.modelOptions());
        java.util.List<String> specs = new ArrayList<>(List.of(spec.model()));
        specs.addAll(spec.roles().values());
        dev.assay.model.Models.checkOptions(specs, spec.modelOptions());
        Model main = opener.apply(spec.model(), options);
        Map<String, Model> roles = new LinkedHashMap<>();
        try {
            spec.roles().forEach((role, modelSpec) -> roles.put(role, opener.apply(modelSpec, options)));
        } catch (RuntimeException e) {
            main.close();
            roles.values().forEach(Model::close);
            throw e;
        }
        return new Models(main, roles);
    }

    /**
     * A stored run opened for distributed workers (issue 20, {@code assay worker}): its suites loaded and checked
     * against the header (the data must be what the run was enqueued with), its models opened on the first batch
     * and kept for the next, so batch after batch runs without loading or opening anything again. No writer lock:
     * many workers append to one run at once, and the store's unique key per (sample, epoch) keeps each once.
     */
    public Session session(dev.assay.store.StoredRun run) {
        RunHeader header = run.header();
        List<Suite> chosen = suites.resolve(header.spec().suites());
        Map<Suite, List<Sample>> loaded = load(chosen, header.spec());
        for (Suite s : chosen) {
            RunHeader.SuiteInfo was = header.suites().stream().filter(i -> i.name().equals(s.name())).findFirst().orElseThrow();
            if (was.samples() != loaded.get(s).size() || !was.data().equals(dataHashes(s))) {
                throw new AssayException("cannot work on run " + header.id() + ": the data of " + s.name() + " here differs from what the run "
                        + "was enqueued with (" + was.samples() + " samples then, " + loaded.get(s).size() + " here); give this worker the same --data");
            }
        }
        checkSandboxes(chosen);
        return new Session(run, header, loaded);
    }

    /** The (sample, epoch) units of every suite of a spec, each as {suite, sample id, epoch}, in run order: what a detached run enqueues. */
    public List<String[]> units(RunSpec spec) {
        List<String[]> out = new ArrayList<>();
        SampleLoop.units(load(suites.resolve(spec.suites()), spec), spec.epochs()).values()
                .forEach(us -> us.forEach(u -> out.add(new String[]{u.suite().name(), u.sample().id(), String.valueOf(u.epoch())})));
        return out;
    }

    /**
     * Writes the header of a new run for the workers to run (--detach): the same checks as {@link #start} before
     * the header is written (data, roles, settings, sandboxes, what the model can do), no sample run here.
     */
    public RunHeader prepare(RunSpec spec, dev.assay.store.StoredRun run) {
        Map<Suite, List<Sample>> loaded = loadChecked(spec);
        try (Models models = openModels(spec)) {
            Requirements.check(loaded, spec, models.main);
            List<RunHeader.SuiteInfo> infos = new ArrayList<>();
            loaded.forEach((s, samples) -> infos.add(new RunHeader.SuiteInfo(s.name(), samples.size(), dataHashes(s),
                    Conditioning.of(spec, s))));
            Map<String, Object> caps = new LinkedHashMap<>();
            caps.put(spec.model(), models.main.capabilities());
            models.roles.forEach((role, m) -> caps.putIfAbsent(spec.roles().get(role), m.capabilities()));
            RunHeader header = new RunHeader(run.id(), RunHeader.now(), spec, versions(), caps, infos)
                    .withData(data.localRoot() == null ? null : data.localRoot().toString());
            run.writeHeader(header);
            return header;
        }
    }

    /** One stored run as a worker runs it: {@link #run} a batch of its units, then {@link #finish} once all are in. */
    public final class Session implements AutoCloseable {
        private final dev.assay.store.StoredRun run;
        private final RunHeader header;
        private final Map<Suite, List<Sample>> loaded;
        private final Map<String, SampleLoop.Unit> byKey = new java.util.HashMap<>();
        private Models models;

        private Session(dev.assay.store.StoredRun run, RunHeader header, Map<Suite, List<Sample>> loaded) {
            this.run = run;
            this.header = header;
            this.loaded = loaded;
            SampleLoop.units(loaded, header.spec().epochs()).values().forEach(us -> us.forEach(u -> byKey.put(u.key(), u)));
        }

        public String runId() {
            return header.id();
        }

        public RunHeader header() {
            return header;
        }

        /** (sample, epoch) units in the run. */
        public int total() {
            return byKey.size();
        }

        /**
         * Runs the units with these keys ({@link SampleRecord#key}) but those in {@code skip} (recorded already),
         * with the seeds a single-process run gives them, appending each record to {@code sink} as it finishes.
         */
        public void run(java.util.Collection<String> keys, Set<String> skip, dev.assay.store.RecordSink sink, Listener listener) {
            RunSpec spec = header.spec();
            if (models == null) {
                models = openModels(spec);
                Requirements.check(loaded, spec, models.main);
            }
            Map<Suite, List<SampleLoop.Unit>> units = new LinkedHashMap<>();
            for (String k : keys) {
                SampleLoop.Unit u = byKey.get(k);
                if (u == null) throw new AssayException("run " + header.id() + " has no sample " + k.replace('\u0000', '/') + " (its queue and data disagree)");
                if (!skip.contains(k)) units.computeIfAbsent(u.suite(), x -> new ArrayList<>()).add(u);
            }
            Models m = models;
            SampleLoop.run(spec.seed(), spec.concurrency(), units, Map.of(), sink, listener,
                    (u, seed) -> runOne(u.suite(), u.sample(), u.epoch(), seed, spec, m));
        }

        /**
         * Results and usage from every record of the run, computed as a single-process run computes them (so
         * results.json is the same), written through the store, and the index row marked complete.
         */
        public Outcome finish() {
            RunSpec spec = header.spec();
            Map<String, SampleRecord> all = run.summaries();
            Results results = ResultsCalculator.writeResults(run, header.id(), spec, loaded, all);
            for (var e : spec.settings().prices().entrySet()) Usage.parsePrice(e.getKey(), e.getValue());
            Usage usage = Usage.of(all.values(), spec.settings().prices(), declared(spec), Map.of());
            run.writeUsage(usage);
            int errors = ResultsCalculator.errors(results);
            int ok = (int) all.values().stream().filter(SampleRecord::ok).count();
            // Results asked for before the last sample is in (assay results RUN) leave the run listed as distributed.
            boolean whole = all.size() >= byKey.size();
            run.store().index(new RunIndex.Entry(header.id(), header.created(), !whole ? "distributed" : errors == 0 ? "complete" : "complete-with-errors",
                    spec.model(), String.join(" ", spec.suites()), byKey.size(), ok, errors, run.where(), summary(results)));
            return new Outcome(header.id(), null, results, errors, usage);
        }

        /** Each role's capabilities as the header recorded them (for prices), so finishing needs no model open. */
        private Map<String, dev.assay.model.Capabilities> declared(RunSpec spec) {
            Map<String, dev.assay.model.Capabilities> out = new LinkedHashMap<>();
            java.util.function.Function<String, dev.assay.model.Capabilities> of = modelSpec -> {
                Object c = header.capabilities() == null ? null : header.capabilities().get(modelSpec);
                return c == null ? null : Json.MAPPER.convertValue(c, dev.assay.model.Capabilities.class);
            };
            out.put(dev.assay.event.ModelCall.MAIN_ROLE, of.apply(spec.model()));
            spec.roles().forEach((role, modelSpec) -> out.put(role, of.apply(modelSpec)));
            out.values().removeIf(java.util.Objects::isNull);
            return out;
        }

        @Override
        public void close() {
            if (models != null) models.close();
            models = null;
        }
    }

    /** The models of one run, closed together. */
    private record Models(Model main, Map<String, Model> roles) implements AutoCloseable {
        /** The evaluated model for one sample: its calls recorded, its prompts rewritten first by the sample's condition, if any. */
        Model recording(Transcript t, Origin origin, dev.assay.suite.Condition condition) {
            if (condition == null) return new RecordingModel(main, dev.assay.event.ModelCall.MAIN_ROLE, origin, t::add);
            return new ConditionModel(condition, new RecordingModel(main, dev.assay.event.ModelCall.MAIN_ROLE, origin, t::add, condition.name()));
        }

        Map<String, Model> recordingRoles(Transcript t, Origin origin) {
            Map<String, Model> out = new LinkedHashMap<>();
            roles.forEach((role, m) -> out.put(role, new RecordingModel(m, role, origin, t::add)));
            return out;
        }

        /** Declared capabilities by role name, for prices. */
        Map<String, dev.assay.model.Capabilities> capabilities(RunSpec spec) {
            Map<String, dev.assay.model.Capabilities> out = new LinkedHashMap<>();
            out.put(dev.assay.event.ModelCall.MAIN_ROLE, main.capabilities());
            roles.forEach((role, m) -> out.put(role, m.capabilities()));
            return out;
        }

        /** What each role's provider counted (a role sharing the main model's spec shares its counts). */
        Map<String, Map<String, Long>> counters() {
            Map<String, Map<String, Long>> out = new LinkedHashMap<>();
            out.put(dev.assay.event.ModelCall.MAIN_ROLE, main.counters());
            roles.forEach((role, m) -> out.put(role, m.counters()));
            out.values().removeIf(Map::isEmpty);
            return out;
        }

        @Override
        public void close() {
            Set<Model> all = new java.util.LinkedHashSet<>(roles.values());
            all.add(main);
            all.forEach(Model::close);
        }
    }
}
