package dev.assay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ServiceLoader;

/**
 * Benchmarks that print a table (speed targets are checked here, never in timed unit tests). The subcommands
 * are the {@link Benchmark}s on the class path (assay-bench's: http, view, engine, sandbox).
 */
@Command(name = "bench", description = "Benchmarks that print a table and machine-readable last lines.")
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Adds every benchmark found through ServiceLoader, in the order their jars list them. */
    static void addBenchmarks(CommandLine bench) {
        for (Benchmark b : ServiceLoader.load(Benchmark.class)) bench.addSubcommand(b);
    }
}
