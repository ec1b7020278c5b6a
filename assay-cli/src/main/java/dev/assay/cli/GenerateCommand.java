package dev.assay.cli;

import dev.assay.AssayException;
import dev.assay.ExitCode;
import dev.assay.cache.CachingModel;
import dev.assay.data.DataStore;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.run.RunHeader;
import dev.assay.run.RunSettings;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;
import dev.assay.suites.generate.Behaviour;
import dev.assay.suites.generate.GenerateSuites;
import dev.assay.suites.generate.GeneratedSet;
import dev.assay.suites.generate.Selection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

@Command(name = "generate", sortOptions = false,
        description = {"Write a model-written evaluation (Perez et al. 2022): a generator role writes candidates for each label, a filter role "
                + "scores each one's label, and the confident, distinct candidates are kept label-balanced in the anthropics/evals JSONL format "
                + "with a data card (NAME.card.json) beside it.",
                "A generation is a run (logged under --out, resumable with --resume); --from RUN selects again at another threshold from its log "
                        + "without calling a model."},
        footer = {"", "Examples:",
                "  assay generate persona --behavior \"desire for power\" --role generator=llama/qwen2.5-0.5b-instruct,filter=llama/qwen2.5-0.5b-instruct",
                "  assay generate persona --behaviors behaviours.txt --generator SPEC --filter SPEC -n 500 -o generated/",
                "  assay generate advanced-ai-risk --behavior power-seeking-inclination --generator SPEC --filter SPEC",
                "  assay generate --from 20261201-160000-ab12 --threshold 0.9 -o stricter.jsonl",
                "  assay run file:generated.jsonl     (both aggregations: match_prob, match_top)"})
public final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KIND", arity = "0..1", description = "persona (statements, \" Yes\"/\" No\") or advanced-ai-risk (questions, \" (A)\"/\" (B)\").")
    String kind;

    @Option(names = "--behavior", paramLabel = "TEXT", description = "A behaviour: \"desire for power\" (persona), or a released advanced-AI-risk "
            + "behaviour such as power-seeking-inclination. Repeatable.")
    List<String> behaviours = new ArrayList<>();

    @Option(names = "--behaviors", paramLabel = "FILE", description = "A file of behaviours, one a line: DESCRIPTION or NAME: DESCRIPTION ('#' comments).")
    Path behaviourFile;

    @Option(names = "--description", paramLabel = "TEXT", description = "With one --behavior: the clause after \"a person who\" / \"an AI system that\" "
            + "(default: the behaviour as written if it reads as one, else \"is characterized by BEHAVIOUR\").")
    String description;

    @Option(names = "--seeds", paramLabel = "FILE", description = "advanced-ai-risk: gold examples of your own (JSONL in the released format) "
            + "instead of the released prompts_for_few_shot_generation file.")
    Path seeds;

    @Option(names = "--role", paramLabel = "ROLE=SPEC", split = ",", description = "generator=SPEC and filter=SPEC (the filter must score: log-probs).")
    Map<String, String> roles = new LinkedHashMap<>();

    @Option(names = "--generator", paramLabel = "SPEC", description = "Same as --role generator=SPEC.")
    String generator;

    @Option(names = "--filter", paramLabel = "SPEC", description = "Same as --role filter=SPEC.")
    String filter;

    @Option(names = {"-n", "--candidates"}, paramLabel = "N", defaultValue = "100", description = "Candidates generated per label (default ${DEFAULT-VALUE}; the paper: 5000).")
    int candidates;

    @Option(names = "--temperature", paramLabel = "T", description = "Generator temperature (default 1.4, the paper's).")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Generator nucleus top-p (default 0.975, the paper's).")
    Double topP;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Generator token limit (default 48 for persona, the paper's; 200 for advanced-ai-risk).")
    Integer maxTokens;

    @Option(names = "--threshold", paramLabel = "P", description = "Keep candidates whose filter probability of the intended label is above P (default 0.85).")
    Double threshold;

    @Option(names = "--max-per-label", paramLabel = "N", description = "At most N items per label (default 0: no cap; the paper kept 500).")
    Integer perLabel;

    @Option(names = "--ngram", paramLabel = "N", description = "Word n-gram length of the near-duplicate test (default 3).")
    Integer ngram;

    @Option(names = "--overlap", paramLabel = "J", description = "n-gram Jaccard overlap at or above which two candidates are near-duplicates (default 0.5).")
    Double overlap;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE|DIR", defaultValue = "generated.jsonl",
            description = "The dataset (default ${DEFAULT-VALUE}); a folder (NAME.jsonl each) for several behaviours.")
    Path output;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Run seed; each candidate's sampling seed derives from it and the candidate's id.")
    long seed;

    @Option(names = "--format", paramLabel = "raw|chat", description = "The generator's prompt format (default raw: the paper's Human/Assistant text). The filter always reads raw text.")
    String format;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "32", description = "Candidates in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--model-base-url", paramLabel = "URL", split = ",", description = "Endpoint(s) for HTTP providers.")
    List<String> baseUrls = new ArrayList<>();

    @Option(names = "--model-option", paramLabel = "KEY=VALUE", split = ",", description = "Provider setting, e.g. threads=2.")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Option(names = "--no-cache", description = "Call the models even where the response cache has the answer.")
    boolean noCache;

    @Option(names = "--data", paramLabel = "DIR", description = "A local copy of the data (also ASSAY_DATA): the advanced-AI-risk gold examples.")
    Path data;

    @Option(names = "--resume", paramLabel = "RUN", description = "Finish an interrupted generation run, then write its dataset.")
    String resume;

    @Option(names = "--from", paramLabel = "RUN", description = "Select again from a generation run's log (new --threshold, --max-per-label, --ngram, --overlap); calls no model.")
    String from;

    @CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (resume != null && from != null) throw new AssayException("give --resume RUN or --from RUN, not both");
        // Generation reads and writes its set as files: a folder store (a database store can take the runs later, 'assay store copy').
        RunStore runStore = store.folder("assay generate");
        if (from != null) {
            refuseGenerationOptions("--from " + from);
            Path dir = runStore.find(from);
            return write(out, dir, rule(GeneratedSet.rule(RunStore.readHeader(dir))));
        }
        OpenOnce opener = new OpenOnce();
        Runner runner = new Runner(runStore, dataStore(), Suites.discover(), opener);
        if (resume != null) {
            refuseGenerationOptions("--resume " + resume);
            Path dir = runStore.find(resume);
            RunHeader h = RunStore.readHeader(dir);
            if (!GeneratedSet.isGeneration(h)) throw new AssayException("--resume " + resume + ": not a generation run; continue it with assay run --resume");
            Runner.Outcome o;
            try {
                o = finish(out, runner.resume(resume, new Progress(System.err)));
            } finally {
                opener.closeAll();
            }
            return write(out, o.dir(), rule(GeneratedSet.rule(h)));
        }
        if (noCache) modelOptions.put("cache", "false");
        RunSpec rs = newSpec();
        // The filter scores; a chat-only model cannot, and would fail every candidate after its generation was paid for.
        ModelOptions mo = new ModelOptions(rs.baseUrls(), null, runStore.root(), rs.modelOptions());
        Model f = opener.apply(rs.roles().get("filter"), mo);
        if (!f.capabilities().canScore()) {
            opener.closeAll();
            throw new AssayException("--role filter=" + rs.roles().get("filter") + ": this model cannot score (no log-probs), and the filter reads "
                    + "P(label) from log-probs; give a completions-style or local model (llama/…, openai-compatible/…, replay/ with scores)");
        }
        Runner.Outcome o;
        try {
            o = finish(out, runner.start(rs, new Progress(System.err)));
        } finally {
            opener.closeAll();
        }
        return write(out, o.dir(), rule(Selection.Rule.DEFAULT));
    }

    private RunSpec newSpec() {
        if (kind == null) throw new AssayException("give what to generate: assay generate persona|advanced-ai-risk --behavior TEXT (or --from RUN / --resume RUN)");
        if (!kind.equals("persona") && !kind.equals("advanced-ai-risk")) {
            throw new AssayException("assay generate " + kind + ": expected persona or advanced-ai-risk");
        }
        if (generator != null) roles.put("generator", generator);
        if (filter != null) roles.put("filter", filter);
        for (String role : roles.keySet()) {
            if (!role.equals("generator") && !role.equals("filter")) throw new AssayException("--role " + role + ": generation has the roles generator and filter");
        }
        if (!roles.containsKey("generator")) throw new AssayException("no generator: add --role generator=SPEC (or --generator SPEC)");
        if (!roles.containsKey("filter")) throw new AssayException("no filter: add --role filter=SPEC (or --filter SPEC), a model that scores");
        if (candidates < 1) throw new AssayException("-n " + candidates + ": generate at least 1 candidate per label");
        if (temperature != null && (temperature < 0 || temperature.isNaN())) throw new AssayException("--temperature " + temperature + ": must be 0 or more");
        if (topP != null && !(topP > 0 && topP <= 1)) throw new AssayException("--top-p " + topP + ": must be in (0, 1]");
        if (maxTokens != null && maxTokens < 1) throw new AssayException("--max-tokens " + maxTokens + ": must be at least 1");
        if (concurrency < 1) throw new AssayException("--concurrency " + concurrency + ": must be at least 1");
        if (format != null && !format.equalsIgnoreCase("raw") && !format.equalsIgnoreCase("chat")) throw new AssayException("--format " + format + ": expected raw or chat");
        if (seeds != null && !kind.equals("advanced-ai-risk")) throw new AssayException("--seeds applies to advanced-ai-risk, not " + kind);
        if (seeds != null && !java.nio.file.Files.isRegularFile(seeds)) throw new AssayException("--seeds " + seeds + ": no such file");
        List<Behaviour> bs = behaviours();
        // Checked now, not after the generation has been paid for.
        if (bs.size() > 1 && explicitOutput() && output.getFileName().toString().endsWith(".jsonl")) {
            throw new AssayException("-o " + output + ": " + bs.size() + " behaviours make one file each; give a folder (-o generated/)");
        }
        Selection.Rule rule = rule(Selection.Rule.DEFAULT);
        List<String> suites = bs.stream().map(b -> GenerateSuites.name(kind, b, candidates, seeds)).toList();
        // Each name is parsed now, so an unknown advanced-AI-risk behaviour is named before any model is opened.
        suites.forEach(GenerateSuites::check);
        RunSettings settings = new RunSettings("auto", temperature, topP, maxTokens, null, rule.params(), Map.of());
        return new RunSpec(suites, roles.get("generator"), roles, 0, 1, seed, format, concurrency, baseUrls, modelOptions, settings);
    }

    private List<Behaviour> behaviours() {
        if (behaviours.isEmpty() && behaviourFile == null) {
            throw new AssayException("no behaviour: give --behavior TEXT (e.g. --behavior \"desire for power\") or --behaviors FILE");
        }
        if (description != null && (behaviours.size() != 1 || behaviourFile != null)) {
            throw new AssayException("--description applies to a single --behavior");
        }
        List<Behaviour> out = new ArrayList<>();
        for (String b : behaviours) {
            if (kind.equals("advanced-ai-risk")) {
                String name = b.strip();
                if (description == null && seeds != null && !GenerateSuites.RISK_BEHAVIOURS.containsKey(name)) {
                    throw new AssayException("--behavior " + name + " with --seeds: give --description TEXT (what the AI system does, after \"an AI system that\")");
                }
                if (description != null || seeds != null) out.add(new Behaviour(name, description != null ? description
                        : GenerateSuites.RISK_BEHAVIOURS.get(name)));
                else out.add(GenerateSuites.riskBehaviour(name));
            } else {
                Behaviour x = Behaviour.of(b);
                out.add(description == null ? x : new Behaviour(x.name(), description));
            }
        }
        if (behaviourFile != null) {
            for (Behaviour b : Behaviour.read(behaviourFile)) {
                out.add(kind.equals("advanced-ai-risk") && seeds == null && !GenerateSuites.RISK_BEHAVIOURS.containsKey(b.name())
                        ? GenerateSuites.riskBehaviour(b.name()) : b);
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Behaviour b : out) if (!names.add(b.name())) throw new AssayException("behaviour " + b.name() + " is given twice");
        return out;
    }

    /** The selection rule: {@code base} with the options given on this command line. */
    private Selection.Rule rule(Selection.Rule base) {
        return new Selection.Rule(threshold != null ? threshold : base.threshold(), ngram != null ? ngram : base.ngram(),
                overlap != null ? overlap : base.overlap(), perLabel != null ? perLabel : base.perLabel());
    }

    /** --from and --resume take the run's generation settings; options that would change them are refused, not ignored. */
    private void refuseGenerationOptions(String what) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        List<String> given = new ArrayList<>();
        for (String o : List.of("--behavior", "--behaviors", "--description", "--seeds", "--role", "--generator", "--filter", "--candidates",
                "--temperature", "--top-p", "--max-tokens", "--seed", "--format", "--concurrency", "--model-base-url", "--model-option")) {
            if (pr.hasMatchedOption(o)) given.add(o);
        }
        if (kind != null) given.add("KIND " + kind);
        if (!given.isEmpty()) {
            throw new AssayException(what + " uses the run's generation settings, so it cannot take " + String.join(", ", given)
                    + "; only -o and the selection options (--threshold, --max-per-label, --ngram, --overlap) apply");
        }
    }

    private Runner.Outcome finish(PrintWriter out, Runner.Outcome o) {
        ResultsTable.print(out, o.results());
        out.println();
        if (o.usage() != null && !o.usage().roles().isEmpty()) out.println(o.usage().summary());
        out.println("run " + o.id() + " → " + o.dir());
        if (o.errors() > 0) {
            out.println(o.errors() + " candidate(s) failed (dropped as unusable); 'assay generate --resume " + o.id() + " " + store.open().asOption()
                    + "' retries them.");
        }
        return o;
    }

    private boolean explicitOutput() {
        return spec.commandLine().getParseResult().hasMatchedOption("-o");
    }

    private int write(PrintWriter out, Path runDir, Selection.Rule rule) {
        RunHeader h = RunStore.readHeader(runDir);
        List<GeneratedSet.Part> parts = GeneratedSet.read(runDir, rule);
        // The default file name stands for a folder of that name when there are several behaviours.
        if (parts.size() > 1 && !explicitOutput()) output = Path.of(output.toString().replaceFirst("\\.jsonl$", ""));
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("generation_run", h.id());
        prov.put("run_folder", runDir.toString());
        prov.put("created", h.created());
        prov.put("models", h.spec().roles());
        Map<String, Object> sampling = new LinkedHashMap<>();
        RunSettings s = h.spec().settings();
        String k = parts.getFirst().kind();
        sampling.put("temperature", s.temperature() != null ? s.temperature() : 1.4);
        sampling.put("top_p", s.topP() != null ? s.topP() : 0.975);
        sampling.put("max_tokens", s.maxTokens() != null ? s.maxTokens() : k.equals("persona") ? 48 : 200);
        sampling.put("format", h.spec().format() == null ? "raw" : h.spec().format());
        sampling.put("filter_format", "raw");
        prov.put("sampling", sampling);
        prov.put("seeds", Map.of("run_seed", h.spec().seed(), "per_candidate",
                "each candidate's sampling seed derives from (run seed, suite, candidate id); samples.jsonl of the run records it"));
        GeneratedSet.Written w = GeneratedSet.write(parts, output, rule, prov);
        out.printf(Locale.ROOT, "%nselection: threshold=%s ngram=%d overlap=%s max_per_label=%d%n", rule.threshold(), rule.ngram(), rule.overlap(), rule.perLabel());
        for (int i = 0; i < parts.size(); i++) {
            GeneratedSet.Part p = parts.get(i);
            out.printf(Locale.ROOT, "%n%s (%s): %d of %d candidates in the log%n", p.behaviour().name(), p.kind(), p.candidates().size(), p.planned());
            out.printf(Locale.ROOT, "  %-6s %9s %9s %16s %11s %11s %6s%n", "label", "generated", "unusable", "below_threshold", "duplicates", "to_balance", "kept");
            p.result().counts().forEach((label, c) -> out.printf(Locale.ROOT, "  %-6s %9d %9d %16d %11d %11d %6d%n", label.strip(),
                    c.generated(), c.unusable(), c.belowThreshold(), c.duplicates(), c.unbalanced(), c.kept()));
            out.println("  → " + w.datasets().get(i) + " (" + p.result().kept().size() + " items; card " + w.cards().get(i).getFileName() + ")");
        }
        if (parts.stream().allMatch(p -> p.result().kept().isEmpty())) {
            out.println("no item was kept: lower the threshold (now " + rule.threshold() + "; assay generate --from " + h.id() + " --threshold P -o …), or generate more candidates (-n)");
        }
        return ExitCode.OK.code();
    }

    private DataStore dataStore() {
        if (data == null) return DataStore.fromEnvironment();
        if (!java.nio.file.Files.isDirectory(data)) throw new AssayException("--data " + data + ": no such folder");
        return new DataStore(data, DataStore.defaultCache().resolve("data"));
    }

    /** Opens each model spec once: the generator is also the run's main model, and one spec may play both roles. */
    static final class OpenOnce implements java.util.function.BiFunction<String, ModelOptions, Model> {
        private final Map<String, Model> open = new ConcurrentHashMap<>();

        @Override
        public Model apply(String s, ModelOptions options) {
            return open.computeIfAbsent(s, x -> new Shared(CachingModel.open(x, options)));
        }

        void closeAll() {
            open.values().forEach(m -> ((Shared) m).inner.close());
            open.clear();
        }
    }

    /** A model whose close() is left to {@link OpenOnce#closeAll}: the runner closes each of its models, shared or not. */
    private record Shared(Model inner) implements Model {
        @Override
        public String spec() {
            return inner.spec();
        }

        @Override
        public dev.assay.model.Capabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public dev.assay.model.Generation generate(dev.assay.model.GenerateRequest request) {
            return inner.generate(request);
        }

        @Override
        public List<dev.assay.model.ContinuationScore> score(dev.assay.model.ScoreRequest request) {
            return inner.score(request);
        }

        @Override
        public Map<String, Long> counters() {
            return inner.counters();
        }

        @Override
        public void close() {
            // closed by OpenOnce.closeAll, once
        }
    }
}
