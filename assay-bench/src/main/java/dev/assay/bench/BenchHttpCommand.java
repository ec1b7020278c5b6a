package dev.assay.bench;

import dev.assay.cli.Benchmark;
import dev.assay.http.OpenAiCompatibleProvider;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.Prompt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code assay bench http}: throughput of the openai-compatible provider against the loopback fake
 * server, once per --latency-ms. Each sample is one chat completion on its own virtual thread; the
 * provider's adaptive limit decides how many are in flight. Prints a table, then three
 * machine-readable lines: samples_per_s (of the first scenario), inflight (the most requests held in
 * flight for a whole second, over all scenarios) and heap_mb (the largest live heap, measured after a
 * full collection every 5 s, over all scenarios).
 * <p>
 * With {@code --faults RATE}: throughput under faults instead. For each {@code --policy} (the
 * provider's default "adaptive" and, to compare, the "legacy" rules before issue 12) the same fake
 * server runs once clean and once with RATE of mixed faults (429, 529, 500, 503, stalls that never
 * answer, resets, truncated and malformed bodies), each for {@code --seconds} after a warm-up, with the
 * provider's default settings. Prints a table, then {@code fault_ratio_legacy=} and, last,
 * {@code fault_ratio=}: samples/s with faults ÷ samples/s without, for the default policy.
 */
@Command(name = "http", description = "Throughput of the HTTP providers against the loopback fake server.",
        mixinStandardHelpOptions = true)
public final class BenchHttpCommand implements Benchmark {

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20000", description = "Samples per scenario (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--latency-ms", paramLabel = "MS", split = ",", defaultValue = "0,1000",
            description = "Server latency of each scenario (default ${DEFAULT-VALUE}).")
    List<Long> latencies;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64", description = "Initial per-endpoint limit (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--max-concurrency", paramLabel = "N", defaultValue = "4096", description = "Largest per-endpoint limit (default ${DEFAULT-VALUE}).")
    int maxConcurrency;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3000",
            description = "Samples run first and not measured, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--outstanding", paramLabel = "N", defaultValue = "6000",
            description = "Samples started and not finished at most, as the runner's --concurrency (default ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--faults", paramLabel = "RATE",
            description = "Measure throughput with this fraction of mixed faults against the same server without them.")
    Double faults;

    @Option(names = "--policy", paramLabel = "P", split = ",", defaultValue = "adaptive,legacy",
            description = "With --faults: the retry policies to compare (adaptive is the default; default ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
            description = "With --faults: how long each scenario is measured, after --warmup-seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5",
            description = "With --faults: run first and not measured (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--stall-s", paramLabel = "S", defaultValue = "600",
            description = "With --faults: how long a stalled request is held before the server drops it (default ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Spec
    CommandSpec spec;

    record FaultFigures(String policy, double faultRate, double seconds, long done, double samplesPerS, long errors,
                        int limitMin, int limitEnd, long faultsInjected) {
    }

    record Figures(long latencyMs, int samples, double seconds, double samplesPerS, int peakInFlight,
                   int sustainedInFlight, double heapMb, long errors, int connections, double cpuMsPerSample) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchHttpCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (faults != null) return faultScenarios(out);
        var figures = new ArrayList<Figures>();
        for (long latency : latencies) figures.add(scenario(latency));
        out.printf(Locale.ROOT, "%-11s %8s %9s %11s %13s %17s %12s %12s %12s %7s%n", "latency_ms", "samples", "seconds",
                "samples/s", "inflight_peak", "inflight_1s_held", "live_heap_mb", "connections", "cpu_ms/sample", "errors");
        for (Figures f : figures) {
            out.printf(Locale.ROOT, "%-11d %8d %9.2f %11.0f %13d %17d %12.0f %12d %12.2f %7d%n", f.latencyMs(), f.samples(),
                    f.seconds(), f.samplesPerS(), f.peakInFlight(), f.sustainedInFlight(), f.heapMb(), f.connections(),
                    f.cpuMsPerSample(), f.errors());
        }
        out.printf(Locale.ROOT, "cpus=%d load_average=%.2f (other processes share these cores)%n",
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf(Locale.ROOT, "max_heap_mb=%d (the JVM's -Xmx)%n", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        out.printf(Locale.ROOT, "samples_per_s=%.0f%n", figures.getFirst().samplesPerS());
        out.printf(Locale.ROOT, "inflight=%d%n", figures.stream().mapToInt(Figures::sustainedInFlight).max().orElse(0));
        out.printf(Locale.ROOT, "heap_mb=%.0f%n", figures.stream().mapToDouble(Figures::heapMb).max().orElse(0));
        out.flush();
        return figures.stream().anyMatch(f -> f.errors() > 0) ? 1 : 0;
    }

    private Figures scenario(long latencyMs) throws Exception {
        Path work = Files.createTempDirectory("assay-bench-http");
        System.gc();
        try (var server = FakeServer.start(FakeServer.Options.defaults().withLatency(Duration.ofMillis(latencyMs)));
             Model model = new OpenAiCompatibleProvider().open("bench", new ModelOptions(
                     List.of(server.baseUrl().toString()), null, work, Map.of(
                     "concurrency", String.valueOf(concurrency), "max_concurrency", String.valueOf(maxConcurrency),
                     "timeout", String.valueOf(Math.max(30, latencyMs / 1000 * 10)))))) {
            var inFlightTrace = new ArrayList<Integer>();
            double[] liveHeapMb = {0};
            var done = new AtomicInteger();
            var errors = new AtomicInteger();
            Thread monitor = Thread.ofPlatform().daemon().start(() -> {
                long nextGc = System.nanoTime() + 1_000_000_000L;
                while (!Thread.currentThread().isInterrupted()) {
                    if (System.nanoTime() >= nextGc) {
                        // A full collection every 5 s: what remains is the live heap, garbage excluded.
                        System.gc();
                        liveHeapMb[0] = Math.max(liveHeapMb[0], usedNowMb());
                        nextGc = System.nanoTime() + 5_000_000_000L;
                    }
                    synchronized (inFlightTrace) {
                        inFlightTrace.add(server.inFlight());
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            runSamples(model, warmup, "warm-up ", new AtomicInteger(), new AtomicInteger());
            synchronized (inFlightTrace) {
                inFlightTrace.clear();
            }
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            runSamples(model, samples, "", done, errors);
            double seconds = (System.nanoTime() - t0) / 1e9;
            monitor.interrupt();
            monitor.join();
            int sustained;
            synchronized (inFlightTrace) {
                sustained = heldForOneSecond(inFlightTrace, 50);
            }
            return new Figures(latencyMs, samples, seconds, done.get() / seconds, server.peakInFlight(), sustained,
                    liveHeapMb[0], errors.get(), server.connectionsSeen(), (cpuNanos() - cpu0) / 1e6 / samples);
        }
    }

    private int faultScenarios(PrintWriter out) throws Exception {
        if (faults < 0 || faults > 1) throw new CommandLine.ParameterException(spec.commandLine(), "--faults must be in [0, 1]");
        long latency = latencies.getFirst();
        var rows = new ArrayList<FaultFigures>();
        for (String policy : policies) {
            if (!policy.equals("adaptive") && !policy.equals("legacy")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--policy " + policy + ": expected adaptive or legacy");
            }
            rows.add(faultScenario(policy, 0, latency));
            rows.add(faultScenario(policy, faults, latency));
        }
        out.printf(Locale.ROOT, "%-9s %7s %9s %9s %11s %12s %7s %10s %10s %9s%n", "policy", "faults", "seconds", "samples",
                "samples/s", "ratio", "errors", "limit_min", "limit_end", "injected");
        var ratios = new java.util.LinkedHashMap<String, Double>();
        for (FaultFigures f : rows) {
            double clean = rows.stream().filter(r -> r.policy().equals(f.policy()) && r.faultRate() == 0)
                    .findFirst().orElseThrow().samplesPerS();
            double ratio = clean > 0 ? f.samplesPerS() / clean : 0;
            if (f.faultRate() > 0) ratios.put(f.policy(), ratio);
            out.printf(Locale.ROOT, "%-9s %7.2f %9.1f %9d %11.1f %12s %7d %10d %10d %9d%n", f.policy(), f.faultRate(),
                    f.seconds(), f.done(), f.samplesPerS(), f.faultRate() > 0 ? String.format(Locale.ROOT, "%.3f", ratio) : "-",
                    f.errors(), f.limitMin(), f.limitEnd(), f.faultsInjected());
        }
        out.printf(Locale.ROOT, "latency_ms=%d stall_s=%d provider options: defaults (policy only); target fault_ratio >= 0.5%n",
                latency, stallSeconds);
        out.printf(Locale.ROOT, "cpus=%d load_average=%.2f (other processes share these cores)%n",
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ratios.forEach((p, r) -> {
            if (!p.equals("adaptive")) out.printf(Locale.ROOT, "fault_ratio_%s=%.3f%n", p, r);
        });
        if (ratios.containsKey("adaptive")) out.printf(Locale.ROOT, "fault_ratio=%.3f%n", ratios.get("adaptive"));
        out.flush();
        return 0;
    }

    /** Samples/s over {@code seconds} after the warm-up, the provider at its defaults but for the policy. */
    private FaultFigures faultScenario(String policy, double rate, long latencyMs) throws Exception {
        Path work = Files.createTempDirectory("assay-bench-http");
        var options = FakeServer.Options.defaults().withLatency(Duration.ofMillis(latencyMs))
                .withFaults(dev.assay.http.fake.Faults.mixed(rate, 12, Duration.ofSeconds(stallSeconds)));
        var done = new java.util.concurrent.atomic.AtomicLong();
        var errors = new java.util.concurrent.atomic.AtomicLong();
        try (var server = FakeServer.start(options);
             Model model = new OpenAiCompatibleProvider().open("bench", new ModelOptions(
                     List.of(server.baseUrl().toString()), null, work, Map.of("policy", policy)))) {
            var pool = Executors.newVirtualThreadPerTaskExecutor();
            var permits = new java.util.concurrent.Semaphore(outstanding);
            long t0 = System.nanoTime();
            long start = t0 + (long) (warmupSeconds * 1e9);
            long end = start + (long) (seconds * 1e9);
            var measuring = new java.util.concurrent.atomic.AtomicBoolean();
            long doneAtStart = 0;
            int limitMin = Integer.MAX_VALUE;
            var history = (dev.assay.http.ConcurrencyHistory) model;
            for (int i = 0; System.nanoTime() < end; i++) {
                if (!permits.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    i--;
                } else {
                    int k = i;
                    pool.submit(() -> {
                        try {
                            model.generate(GenerateRequest.greedy(new Prompt.Chat(
                                    List.of(Message.user("Benchmark question " + k)), ""), 8, List.of(), null));
                            done.incrementAndGet();
                        } catch (RuntimeException e) {
                            if (measuring.get() && !Thread.currentThread().isInterrupted()) errors.incrementAndGet();
                        } finally {
                            permits.release();
                        }
                    });
                }
                if (!measuring.get() && System.nanoTime() >= start) {
                    measuring.set(true);
                    doneAtStart = done.get();
                }
                if (measuring.get() && (i & 255) == 0) limitMin = Math.min(limitMin, currentLimit(history));
            }
            long measured = done.get() - doneAtStart;
            measuring.set(false);
            int limitEnd = currentLimit(history);
            pool.shutdownNow(); // abandons what is in flight: stalls would otherwise be waited for
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            return new FaultFigures(policy, rate, seconds, measured, measured / seconds, errors.get(),
                    Math.min(limitMin, limitEnd), limitEnd, server.faultsInjected());
        }
    }

    private static int currentLimit(dev.assay.http.ConcurrencyHistory model) {
        var h = model.concurrencyHistory();
        return h.isEmpty() ? 0 : h.getLast().limit();
    }

    private void runSamples(Model model, int count, String prefix, AtomicInteger done, AtomicInteger errors)
            throws InterruptedException {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var permits = new java.util.concurrent.Semaphore(outstanding);
            for (int i = 0; i < count; i++) {
                int k = i;
                permits.acquire();
                pool.submit(() -> {
                    try {
                        model.generate(GenerateRequest.greedy(new Prompt.Chat(
                                List.of(Message.user(prefix + "Benchmark question " + k)), ""), 8, List.of(), null));
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                });
            }
            permits.acquire(outstanding); // all finished
        }
    }

    /** CPU time of this whole process (client, fake server and collector together). */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** Heap used now (just after a full collection, the live heap). */
    static double usedNowMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** The largest value that the trace stayed at or above for {@code window} consecutive samples. */
    static int heldForOneSecond(List<Integer> trace, int window) {
        int best = 0;
        var deque = new java.util.ArrayDeque<Integer>(); // indices of a sliding-window minimum
        for (int i = 0; i < trace.size(); i++) {
            while (!deque.isEmpty() && trace.get(deque.peekLast()) >= trace.get(i)) deque.pollLast();
            deque.addLast(i);
            if (deque.peekFirst() <= i - window) deque.pollFirst();
            if (i >= window - 1) best = Math.max(best, trace.get(deque.peekFirst()));
        }
        return best;
    }
}
