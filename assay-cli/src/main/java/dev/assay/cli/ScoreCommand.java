package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.model.Models;
import dev.assay.run.Rescorer;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "score", sortOptions = false,
        description = {"Re-score a finished run from its samples.jsonl, without calling the evaluated model.",
                "Writes a new run folder (status \"rescored\", rescored-from.json naming the source) and prints its results."},
        footer = {"", "Examples:",
                "  assay score 20261122-101500-3f2a --role judge=openai/gpt-4o",
                "  assay score assay-runs/20261122-101500-3f2a"})
public final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run to re-score: its id in the store, or its folder.")
    String run;

    @Option(names = "--role", paramLabel = "ROLE=SPEC", split = ",",
            description = "A role model to score with, e.g. --role judge=openai/gpt-4o; roles not given keep the run's.")
    Map<String, String> roles = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "A local copy of the data laid out as dataset/path (also ASSAY_DATA): scorers read the items.")
    Path data;

    @CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataStore ds;
        if (data == null) ds = DataStore.fromEnvironment();
        else if (!Files.isDirectory(data)) throw new AssayException("--data " + data + ": no such folder");
        else ds = new DataStore(data, DataStore.defaultCache().resolve("data"));
        Runner.Outcome o = new Rescorer(store.open(), ds, Suites.discover(), Models::open).rescore(run, roles);
        ResultsTable.print(out, o.results());
        ResultsTable.printGroups(out, o.run().header(), o.results());
        out.println();
        out.println("re-scored " + run + " → run " + o.id() + " (" + o.run().where() + ")");
        if (o.errors() > 0) out.println(o.errors() + " sample(s) have errors; see the records of " + o.id() + " (assay export " + o.id() + ").");
        return ExitCode.OK.code();
    }
}
