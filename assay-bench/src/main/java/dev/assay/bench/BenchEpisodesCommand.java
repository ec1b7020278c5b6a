package dev.assay.bench;

import dev.assay.AssayException;
import dev.assay.cli.Benchmark;
import dev.assay.data.DataStore;
import dev.assay.model.Models;
import dev.assay.run.Results;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code assay bench episodes}: agent episodes per second of a sandboxed suite (the reward-tampering
 * environments by default) through the real runner — a fresh bubblewrap sandbox per episode, the scripted
 * {@code synthetic/curriculum} policy behind the model contract, the grading, the log — so the figure is
 * what a 10^4-episode run gets, minus the model. Also CPU per episode, log bytes per episode and the heap
 * after the run. The last lines are machine-readable.
 */
@Command(name = "episodes", mixinStandardHelpOptions = true,
        description = "Benchmark agent episodes (sandbox + scripted policy + grading + log) per second of a suite, "
                + "by default reward-tampering/held-out with synthetic/curriculum?policy=honest.")
public final class BenchEpisodesCommand implements Benchmark {

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", defaultValue = "reward-tampering/held-out", description = "Suite (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--policy", defaultValue = "honest", description = "honest, gamer or cover-tracks (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--episodes", defaultValue = "500", description = "Episodes to run (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", defaultValue = "16", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (episodes < 1 || concurrency < 1) {
            spec.commandLine().getErr().println("assay: --episodes and --concurrency must be >= 1");
            return 2;
        }
        Path tmp = Files.createTempDirectory("assay-bench-episodes");
        try {
            Runner runner = new Runner(new RunStore(tmp.resolve("runs")), new DataStore(tmp.resolve("data"), tmp.resolve("cache")),
                    Suites.discover(), Models::open);
            String model = "synthetic/curriculum?policy=" + policy;
            String load = SandboxBenchmark.loadAverage();
            long cpu0 = SandboxBenchmark.cpuTicks();
            long t0 = System.nanoTime();
            Runner.Outcome o = runner.start(new RunSpec(List.of(suite), model, Map.of("judge", "synthetic/stance-judge"), episodes, 1, 0,
                    null, concurrency, List.of(), Map.of()), Runner.Listener.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long n = o.results().suites().stream().mapToLong(Results.SuiteResults::samples).sum();
            double cpuMs = (SandboxBenchmark.cpuTicks() - cpu0) * 10.0 / Math.max(1, n);
            long logBytes = Files.size(o.dir().resolve(RunStore.SAMPLES));
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            String gamed = o.results().suites().stream().flatMap(s -> s.metrics().stream()).filter(m -> m.name().equals("gamed"))
                    .findFirst().map(m -> m.proportion() == null ? "—" : m.proportion().label()).orElse("—");
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf("%-58s %14s%n", "measure (" + cores + " cores, load average " + load + ")", "value");
            out.printf(Locale.ROOT, "%-58s %14.1f%n", "episodes/s (" + suite + ", " + policy + ", " + n + " in "
                    + String.format(Locale.ROOT, "%.1f", seconds) + " s, " + concurrency + " in flight)", n / seconds);
            out.printf(Locale.ROOT, "%-58s %14.1f%n", "CPU ms per episode (JVM + sandbox processes)", cpuMs);
            out.printf(Locale.ROOT, "%-58s %14.1f%n", "episodes/s if the " + cores + " cores were idle (cores / CPU)", cpuMs <= 0 ? 0 : cores * 1000.0 / cpuMs);
            out.printf(Locale.ROOT, "%-58s %14d%n", "log bytes per episode", logBytes / Math.max(1, n));
            out.printf(Locale.ROOT, "%-58s %14.1f%n", "heap after the run and a GC, MiB", heap / 1048576.0);
            out.printf(Locale.ROOT, "%-58s %14s%n", "gamed", gamed);
            out.printf(Locale.ROOT, "episodes_per_sec=%.2f%n", n / seconds);
            out.printf(Locale.ROOT, "cpu_ms_per_episode=%.2f%n", cpuMs);
            out.printf(Locale.ROOT, "log_bytes_per_episode=%d%n", logBytes / Math.max(1, n));
            out.flush();
            return 0;
        } catch (AssayException e) {
            spec.commandLine().getErr().println("assay: " + e.getMessage());
            return e.exitCode();
        } finally {
            try (var paths = Files.walk(tmp)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
