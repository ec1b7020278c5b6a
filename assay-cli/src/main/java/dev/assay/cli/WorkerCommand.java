package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.cache.CachingModel;
import dev.assay.data.DataStore;
import dev.assay.run.Runner;
import dev.assay.store.pg.PgStore;
import dev.assay.store.queue.Worker;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "worker", sortOptions = false,
        description = {"Run the samples of distributed runs (assay run ... --detach) from a PostgreSQL store.",
                "Claims a batch of samples as a lease that expires (so a worker that dies loses nothing: its batch is run again by "
                        + "another), runs it, records each sample once, and computes the run's results after its last batch. Start any "
                        + "number, on any machine. SIGTERM: finishes the batch in hand within --grace-seconds, else gives it back; exit 3."},
        footer = {"", "Examples:",
                "  assay worker --store postgresql://db.lab:5432/assay",
                "  assay worker --store postgresql://127.0.0.1/assay --exit-when-idle"})
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "URL", description = "The PostgreSQL store the runs were enqueued in (also ASSAY_STORE).")
    String store;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "30",
            description = "How long a claim lasts without a heartbeat: a dead worker's batch waits this long before another runs it (default ${DEFAULT-VALUE}).")
    double leaseSeconds;

    @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "2",
            description = "With nothing to claim, how long to wait before asking again (default ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--exit-when-idle", description = "Exit (0) once no batch is left to claim, instead of waiting for more runs.")
    boolean exitWhenIdle;

    @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "20",
            description = "On SIGTERM, how long the batch in hand may take to finish before it is given back (default ${DEFAULT-VALUE}).")
    double graceSeconds;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A local copy of the data (also ASSAY_DATA); the run's files are checked against the SHA-256s it was enqueued with.")
    Path data;


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!(leaseSeconds > 0.05)) throw new dev.assay.AssayException("--lease-seconds " + leaseSeconds + ": must be more than 0.05");
        if (!(pollSeconds > 0)) throw new dev.assay.AssayException("--poll-seconds " + pollSeconds + ": must be more than 0");
        if (!(graceSeconds >= 0)) throw new dev.assay.AssayException("--grace-seconds " + graceSeconds + ": must be 0 or more");
        DataStore dataStore = data == null ? DataStore.fromEnvironment() : new DataStore(data, DataStore.defaultCache().resolve("data"));
        if (data != null && !java.nio.file.Files.isDirectory(data)) throw new dev.assay.AssayException("--data " + data + ": no such folder");
        try (PgStore pg = Distributed.open(store, "assay worker")) {
            Runner runner = new Runner(pg, dataStore, Suites.discover(), CachingModel.opener(pg));
            Worker worker = new Worker(pg, pg::connection, runner::session,
                    new Worker.Options(seconds(leaseSeconds), seconds(pollSeconds), exitWhenIdle), System.err);
            System.err.println("assay worker " + worker.id() + ": working on " + pg.location()
                    + (exitWhenIdle ? " until nothing is left" : " (SIGTERM or Ctrl-C stops it)"));
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                if (worker.exited()) return; // a normal exit: its own code stands
                worker.stop(seconds(graceSeconds));
                System.err.println("assay worker " + worker.id() + ": stopped after " + worker.unitsDone() + " sample(s)");
                Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
            });
            Runtime.getRuntime().addShutdownHook(hook);
            int code = worker.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a SIGTERM arrived as the worker went idle: the hook sees it exited and leaves the code alone
            }
            System.err.println("assay worker " + worker.id() + ": idle, exiting after " + worker.unitsDone() + " sample(s)");
            return code;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
