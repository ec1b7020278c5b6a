package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.model.ModelProvider;
import dev.assay.model.Models;
import dev.assay.run.RunIndex;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "list", description = {"List what can be run (suites), the installed models (models), the model providers (providers), "
        + "or the runs in the store (runs).", "--json prints the same as a JSON array, for scripts."})
public final class ListCommand implements Callable<Integer> {
    enum What { suites, models, providers, runs }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "suites|models|providers|runs", description = "What to list.")
    What what;

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "For suites: also each suite's format, answering, roles and parameters (-S).")
    boolean verbose;

    @CommandLine.Option(names = "--json", description = "A JSON array, one object per row (for scripts; no header, no prose).")
    boolean json;

    @CommandLine.Option(names = "--models-dir", paramLabel = "DIR", description = "For models: the model cache (default: $ASSAY_MODELS or ~/.cache/assay/models).")
    java.nio.file.Path modelsDir;

    @CommandLine.Mixin
    StoreOption store;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = switch (what) {
            case suites -> suites();
            case models -> models();
            case providers -> providers();
            case runs -> runs();
        };
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            return ExitCode.OK.code();
        }
        switch (what) {
            case suites -> {
                Suites registry = Suites.discover();
                for (Suite s : registry.all()) {
                    out.printf(Locale.ROOT, "%-75s %s%n", s.name(), s.description());
                    if (verbose) details(out, s);
                }
                for (var g : registry.groups()) {
                    out.printf(Locale.ROOT, "%-75s %s%n", g.name(), "group of " + g.members().size() + ": " + g.description());
                }
            }
            case models -> {
                out.println("model cache: " + modelStore().dir());
                if (rows.isEmpty()) {
                    out.println("no models installed yet. 'assay models pull " + dev.assay.llama.ModelStore.DEFAULT_MODEL
                            + "' fetches the default (it is also fetched on first use); 'assay models list' shows every known model; "
                            + "'assay list providers' the other kinds of model.");
                } else {
                    Table.print(out, rows, "model", "state", "bytes", "path");
                }
            }
            case providers -> Table.print(out, rows, "prefix", "description");
            case runs -> {
                if (rows.isEmpty()) {
                    out.println("no runs in " + store.out.toAbsolutePath() + " yet. Start one: assay run mwe/persona/desire-for-power --limit 50");
                } else {
                    Table.print(out, rows, "run", "created", "status", "done", "errors", "model", "suites", "summary");
                }
            }
        }
        return ExitCode.OK.code();
    }

    private dev.assay.llama.ModelStore modelStore() {
        return dev.assay.llama.ModelStore.fromEnvironment(modelsDir);
    }

    private static List<Map<String, Object>> suites() {
        Suites registry = Suites.discover();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Suite s : registry.all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("kind", "suite");
            row.put("description", s.description());
            if (s.aliasOf() != null) row.put("alias_of", s.aliasOf());
            row.put("metrics", s.metrics().stream().map(dev.assay.metric.Metric::name).toList());
            row.put("format", s.defaultFormat().name().toLowerCase(Locale.ROOT));
            row.put("roles", new java.util.TreeSet<>(s.roles()));
            Map<String, String> params = new LinkedHashMap<>();
            for (SuiteParameter p : s.parameters()) params.put(p.name(), p.defaultValue());
            row.put("parameters", params);
            rows.add(row);
        }
        for (var g : registry.groups()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", g.name());
            row.put("kind", "group");
            row.put("description", g.description());
            row.put("members", g.suites());
            rows.add(row);
        }
        return rows;
    }

    /** The embedded models on this machine: known models in the cache, and any other GGUF file there. */
    private List<Map<String, Object>> models() throws java.io.IOException {
        var ms = modelStore();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var k : dev.assay.llama.ModelStore.KNOWN) {
            var f = ms.cached(k);
            if (f.isEmpty()) continue;
            boolean verified = java.nio.file.Files.exists(ms.dir().resolve(k.file() + ".sha256"));
            rows.add(modelRow("llama/" + k.name(), verified ? "verified" : "present", f.get()));
        }
        if (java.nio.file.Files.isDirectory(ms.dir())) {
            try (var files = java.nio.file.Files.list(ms.dir())) {
                for (java.nio.file.Path p : files.filter(p -> p.toString().endsWith(".gguf")).sorted().toList()) {
                    String fn = p.getFileName().toString();
                    if (dev.assay.llama.ModelStore.KNOWN.stream().anyMatch(k -> k.file().equals(fn))) continue;
                    rows.add(modelRow("llama/" + p, "file", p));
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> modelRow(String model, String state, java.nio.file.Path file) throws java.io.IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", model);
        row.put("state", state);
        row.put("bytes", java.nio.file.Files.size(file));
        row.put("path", file.toString());
        return row;
    }

    private static List<Map<String, Object>> providers() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelProvider p : Models.providers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prefix", p.prefix() + "/");
            row.put("description", p.description());
            rows.add(row);
        }
        return rows;
    }

    private List<Map<String, Object>> runs() {
        List<Map<String, Object>> rows = new ArrayList<>();
        dev.assay.store.Store st = store.open();
        for (RunIndex.Entry row : st.runs()) {
            RunIndex.Entry e = live(st, row);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", e.id());
            r.put("created", seconds(e.created()));
            r.put("status", e.status());
            r.put("model", e.model());
            int suiteCount = suiteCount(st, e);
            r.put("suites", suiteCount > 1 || e.suites().contains("*") || e.suites().contains("?")
                    ? e.suites() + " (" + suiteCount + " suites)" : e.suites());
            r.put("suite_count", suiteCount);
            r.put("done", e.done() + "/" + e.samples());
            r.put("errors", e.errors());
            r.put("summary", summarise(e.summary()));
            r.put("dir", e.dir());
            rows.add(r);
        }
        return rows;
    }

    /** Suites the run has (its header lists them; a glob stands for many), or the names given when the header is unreadable. */
    private static int suiteCount(dev.assay.store.Store st, RunIndex.Entry e) {
        try {
            var node = JSON.readTree(st.find(e.id()).document(RunStore.HEADER).orElse("{}"));
            if (node != null && node.path("suites").isArray()) return node.path("suites").size();
        } catch (java.io.IOException | RuntimeException ignored) {
            // a header being written or gone: fall back to the names
        }
        return e.suites().isBlank() ? 0 : e.suites().split(" ").length;
    }

    /** Index timestamps to the second (older runs recorded nanoseconds). */
    static String seconds(String created) {
        try {
            return java.time.Instant.parse(created).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return created;
        }
    }

    /**
     * The index keeps "suite metric=value; …" for each suite. One suite reads as it is; many (a glob of 46) as
     * each headline metric's range over the suites, so one row stays one line.
     */
    static String summarise(String summary) {
        if (summary == null || summary.isBlank()) return "";
        String[] parts = summary.split("; ");
        if (parts.length == 1) return parts[0];
        Map<String, double[]> byMetric = new LinkedHashMap<>(); // name -> {min, max, count}
        for (String part : parts) {
            int eq = part.lastIndexOf('=');
            int sp = part.lastIndexOf(' ', eq);
            if (eq < 0 || sp < 0) continue;
            String metric = part.substring(sp + 1, eq);
            double v;
            try {
                v = Double.parseDouble(part.substring(eq + 1));
            } catch (NumberFormatException ex) {
                continue;
            }
            double[] a = byMetric.computeIfAbsent(metric, k -> new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0});
            if (!Double.isNaN(v)) {
                a[0] = Math.min(a[0], v);
                a[1] = Math.max(a[1], v);
            }
            a[2]++;
        }
        List<String> out = new ArrayList<>();
        byMetric.forEach((m, a) -> out.add(a[0] > a[1] ? m + " no values (" + (int) a[2] + " suites)"
                : String.format(Locale.ROOT, "%s %.3f–%.3f over %d suites", m, a[0], a[1], (int) a[2])));
        return String.join("; ", out);
    }

    /**
     * A "running" row as it really is: the index is written at the start, on Ctrl-C and at the end, so a
     * SIGKILL'd run stays "running" with the count it started with. The run's lock says whether a process
     * still writes it (else "interrupted"), and its log says how many samples are saved.
     */
    static RunIndex.Entry live(dev.assay.store.Store st, RunIndex.Entry e) {
        if (!e.status().equals("running")) return e;
        dev.assay.store.StoredRun run;
        try {
            run = st.find(e.id());
        } catch (dev.assay.AssayException gone) {
            return e;
        }
        String status = run.writer().isPresent() ? "running" : "interrupted";
        int saved = e.done();
        int errors = e.errors();
        try {
            var log = run.summaries().values();
            saved = (int) log.stream().filter(SampleRecord::ok).count();
            errors = log.size() - saved;
        } catch (dev.assay.AssayException ignored) {
            // an unreadable log: keep the index's counts; resume will say what is wrong with it
        }
        return new RunIndex.Entry(e.id(), e.created(), status, e.model(), e.suites(), e.samples(), saved, errors, e.dir(), e.summary());
    }

    /** What a suite takes: its default format, whether --answer-method applies, roles, parameters. */
    private static void details(PrintWriter out, Suite s) {
        out.printf(Locale.ROOT, "    format=%s answer-method=%s system=%s calls/sample=%d%s%n",
                s.defaultFormat().name().toLowerCase(Locale.ROOT), s.choosesOptions() ? "applies" : "n/a",
                s.allowsSystem() ? "allowed" : "no", s.callsPerSample(),
                s.roles().isEmpty() ? "" : " roles=" + String.join(",", new java.util.TreeSet<>(s.roles())));
        for (SuiteParameter p : s.parameters()) {
            out.printf(Locale.ROOT, "    -S %s=%s  %s%n", p.name(), p.defaultValue(), p.description());
        }
    }
}
