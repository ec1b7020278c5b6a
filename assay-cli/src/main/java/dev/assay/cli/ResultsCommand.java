package dev.assay.cli;

import dev.assay.cache.CachingModel;
import dev.assay.data.DataStore;
import dev.assay.run.Runner;
import dev.assay.store.StoredRun;
import dev.assay.store.pg.PgStore;
import dev.assay.store.queue.WorkQueue;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "results", sortOptions = false,
        description = {"Compute a distributed run's results now, from the samples recorded so far, and print them.",
                "Workers do this by themselves after the last batch; this is for a run whose workers are gone, or to look before the end."},
        footer = {"", "Example:", "  assay results 20261201-193000-1a2b --store postgresql://db.lab/assay"})
public final class ResultsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "The run id.")
    String run;

    @Option(names = "--store", paramLabel = "URL", description = "The PostgreSQL store of the run (also ASSAY_STORE).")
    String store;

    @Option(names = "--data", paramLabel = "DIR", description = "A local copy of the data (also ASSAY_DATA).")
    Path data;


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        DataStore dataStore = data == null ? DataStore.fromEnvironment() : new DataStore(data, DataStore.defaultCache().resolve("data"));
        try (PgStore pg = Distributed.open(store, "assay results")) {
            StoredRun r = pg.find(run);
            Runner runner = new Runner(pg, dataStore, Suites.discover(), CachingModel.opener(pg));
            long[] counts = pg.sql("count the records of run " + r.id(), c -> WorkQueue.recordCounts(c, r.id()));
            try (Runner.Session s = runner.session(r)) {
                Runner.Outcome o = s.finish();
                boolean all = counts[0] >= s.total();
                if (all) pg.sql("mark the results of run " + r.id() + " written", c -> {
                    if (WorkQueue.isQueued(c, r.id())) WorkQueue.resultsWritten(c, r.id());
                    return null;
                });
                ResultsTable.print(w, o.results());
                w.println();
                w.println("run " + r.id() + " → " + r.where() + (all ? "" : " (partial: " + counts[0] + " of " + s.total()
                        + " samples recorded so far; assay status " + r.id() + " shows the rest)"));
            }
            return 0;
        }
    }
}
