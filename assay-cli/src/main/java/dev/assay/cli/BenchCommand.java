package dev.assay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print a table (speed targets are checked here, never in timed unit tests). */
@Command(name = "bench", description = "Benchmarks that print a table and machine-readable last lines.",
        subcommands = {dev.assay.http.cli.BenchHttpCommand.class, dev.assay.cli.view.BenchViewCommand.class,
                dev.assay.llama.cli.BenchEngineCommand.class,
                dev.assay.sandbox.bwrap.cli.BenchSandboxCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
