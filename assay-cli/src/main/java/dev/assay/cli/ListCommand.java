package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.model.ModelProvider;
import dev.assay.model.Models;
import dev.assay.run.RunIndex;
import dev.assay.suite.Suite;
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

    @CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (what) {
            case suites -> {
                Suites registry = Suites.discover();
                for (Suite s : registry.all()) out.printf(Locale.ROOT, "%-75s %s%n", s.name(), s.description());
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
        return ExitCode.OK.code();
    }
}
