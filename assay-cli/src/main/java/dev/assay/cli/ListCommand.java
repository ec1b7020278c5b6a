package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.model.ModelProvider;
import dev.assay.model.Models;
import dev.assay.run.RunIndex;
import dev.assay.run.RunLock;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "list", description = "List what can be run (suites), the model providers (models), or the runs in the store (runs).")
public final class ListCommand implements Callable<Integer> {
    enum What { suites, models, runs }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "suites|models|runs", description = "What to list.")
    What what;

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "For suites: also each suite's format, answering, roles and parameters (-S).")
    boolean verbose;

    @CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
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
                for (ModelProvider p : Models.providers()) out.printf(Locale.ROOT, "%-20s %s%n", p.prefix() + "/", p.description());
            }
            case runs -> {
                var runs = store.open().index().list();
                if (runs.isEmpty()) {
                    out.println("no runs in " + store.out.toAbsolutePath() + " yet. Start one: assay run mwe/persona/desire-for-power --limit 50");
                }
                for (RunIndex.Entry row : runs) {
                    RunIndex.Entry e = live(row);
                    out.printf(Locale.ROOT, "%-22s %-21s %-36s %-40s %6d/%-6d err=%-4d %s%n", e.id(), e.status(), e.model(), e.suites(),
                            e.done(), e.samples(), e.errors(), e.summary());
                }
            }
        }
        return ExitCode.OK.code();
    }

    /**
     * A "running" row as it really is: the index is written at the start, on Ctrl-C and at the end, so a
     * SIGKILL'd run stays "running" with the count it started with. The run's lock says whether a process
     * still writes it (else "interrupted"), and its log says how many samples are saved.
     */
    static RunIndex.Entry live(RunIndex.Entry e) {
        if (!e.status().equals("running")) return e;
        java.nio.file.Path dir = java.nio.file.Path.of(e.dir());
        String status = RunLock.holder(dir) != null ? "running" : "interrupted";
        int saved = e.done();
        int errors = e.errors();
        try {
            var log = RunLog.read(dir.resolve(RunStore.SAMPLES)).values();
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
