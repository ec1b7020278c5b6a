package dev.assay.bench;

import dev.assay.AssayException;
import dev.assay.cli.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code assay bench sandbox}: sandboxes set up and torn down per second, and the median and 99th-percentile
 * cost of one {@code bash -c true} inside a live sandbox. Prints a table; the last four lines are
 * machine-readable.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Benchmark the sandbox: episodes (set up + torn down) per second, and the median and p99 "
                + "time of one `bash -c true` call inside a live sandbox.")
public final class BenchSandboxCommand implements Benchmark {

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", defaultValue = "bwrap", description = "Sandbox provider (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--workers", defaultValue = "8", description = "Threads opening and closing sandboxes at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--seconds", defaultValue = "5", description = "How long to open and close sandboxes (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--calls", defaultValue = "1000", description = "Timed `true` calls in one sandbox (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--fixture-files", defaultValue = "3", description = "Small files in each episode's fixture (default: ${DEFAULT-VALUE}).")
    int fixtureFiles;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (workers < 1 || seconds < 1 || calls < 1 || fixtureFiles < 0) {
            spec.commandLine().getErr().println("assay: --workers, --seconds and --calls must be >= 1, --fixture-files >= 0");
            return 2;
        }
        try {
            var r = SandboxBenchmark.run(new SandboxBenchmark.Config(provider, workers, Duration.ofSeconds(seconds),
                    calls, fixtureFiles), out);
            out.println();
            out.printf("%-58s %10s %10s%n", "measure (" + r.cores() + " cores, load average " + r.loadAverage() + ")", "value", "target");
            out.printf(Locale.ROOT, "%-58s %10.1f %10s%n", "episodes/s (set up + torn down, " + workers + " workers, "
                    + r.episodes() + " in " + String.format(Locale.ROOT, "%.1f", r.seconds()) + " s)", r.episodesPerSec(), ">= 50");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "one episode, median ms", r.episodeMedianMs(), "");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "one episode, p99 ms", r.episodeP99Ms(), "");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "CPU ms per episode (JVM + sandbox processes)", r.cpuMsPerEpisode(), "");
            out.printf(Locale.ROOT, "%-58s %10.1f %10s%n", "episodes/s if the " + r.cores() + " cores were idle (cores / CPU)", r.cpuBoundEpisodesPerSec(), "");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "`bash -c true` in a live sandbox, median ms (" + r.calls() + " calls)", r.callMedianMs(), "<= 20");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "`bash -c true` in a live sandbox, p99 ms", r.callP99Ms(), "");
            out.printf(Locale.ROOT, "%-58s %10.2f %10s%n", "reference: `bash -c true` spawned by Java on the host, median ms", r.hostSpawnMedianMs(), "");
            out.printf(Locale.ROOT, "episodes_per_sec=%.1f%n", r.episodesPerSec());
            out.printf(Locale.ROOT, "cpu_ms_per_episode=%.2f%n", r.cpuMsPerEpisode());
            out.printf(Locale.ROOT, "call_median_ms=%.3f%n", r.callMedianMs());
            out.printf(Locale.ROOT, "call_p99_ms=%.3f%n", r.callP99Ms());
            out.flush();
            return 0;
        } catch (AssayException e) {
            spec.commandLine().getErr().println("assay: " + e.getMessage());
            return e.exitCode();
        }
    }
}
