package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.store.Store;
import dev.assay.store.StoreCopy;
import dev.assay.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code assay store copy FROM TO}: moves runs between stores (a folder and PostgreSQL, either way). */
@Command(name = "store", description = "Run stores: copy runs between a folder and PostgreSQL.",
        subcommands = {StoreCommand.Copy.class}, mixinStandardHelpOptions = true)
final class StoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    @Command(name = "copy", sortOptions = false,
            description = {"Copy runs from one store to another under the same ids: header, every record, results, usage and index row.",
                    "A run already in TO is skipped, never overwritten. FROM and TO are folders or postgresql:// URLs",
                    "(the password in PGPASSWORD or a pgpass file)."},
            footer = {"", "Examples:",
                    "  assay store copy assay-runs postgresql://db.lab/assay          every run of the folder",
                    "  assay store copy postgresql://db.lab/assay ./mine --run 20261201-101500-3fa2"})
    static final class Copy implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FROM", description = "The store to copy from: a folder or postgresql://… URL.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "The store to copy to (created if missing).")
        String to;

        @Option(names = "--run", paramLabel = "ID", split = ",", description = "Only these runs (default: every run of FROM).")
        List<String> runs = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store a = Stores.open("FROM", from); Store b = Stores.open("TO", to)) {
                List<StoreCopy.Copied> done = StoreCopy.copy(a, b, runs);
                long copied = 0;
                for (StoreCopy.Copied c : done) {
                    if (c.skipped()) {
                        out.println("skipped " + c.id() + " (" + c.why() + ")");
                    } else {
                        out.printf(Locale.ROOT, "copied  %s (%d records)%n", c.id(), c.records());
                        copied++;
                    }
                }
                out.printf(Locale.ROOT, "%d run(s) copied from %s to %s, %d skipped%n", copied, a.location(), b.location(), done.size() - copied);
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }
}
