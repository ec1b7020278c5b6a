package dev.assay.cli;

import dev.assay.model.ModelProvider;
import dev.assay.model.Models;
import dev.assay.run.RunIndex;
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
                for (RunIndex.Entry e : runs) {
                    out.printf(Locale.ROOT, "%-22s %-21s %-36s %-40s %6d/%-6d err=%-4d %s%n", e.id(), e.status(), e.model(), e.suites(),
                            e.done(), e.samples(), e.errors(), e.summary());
                }
            }
        }
        return Main.OK;
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
