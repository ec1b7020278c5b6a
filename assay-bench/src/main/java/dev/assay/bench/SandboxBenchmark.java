package dev.assay.bench;

import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code assay bench sandbox}: how many sandboxes are set up and torn down per second, and what one
 * {@code bash -c true} costs inside a live one. Every figure is wall-clock time measured around the public
 * {@link Sandbox} API.
 */
public final class SandboxBenchmark {
    private SandboxBenchmark() {
    }

    public record Config(String provider, int workers, Duration duration, int calls, int fixtureFiles) {
    }

    /**
     * @param episodesPerSec open (fixture copied in, ready) + close, all workers together
     * @param episodeMedianMs one open + close, median
     * @param callMedianMs one {@code exec("true")}, median
     * @param hostSpawnMedianMs reference: {@code bash -c true} started from Java on the host, median
     */
    public record Result(int cores, String loadAverage, long episodes, double seconds, double episodesPerSec,
                         double episodeMedianMs, double episodeP99Ms, double cpuMsPerEpisode, int calls,
                         double callMedianMs, double callP99Ms, double hostSpawnMedianMs) {

        /** Episodes per second if every core did nothing else: cores / CPU time per episode. */
        public double cpuBoundEpisodesPerSec() {
            return cpuMsPerEpisode <= 0 ? 0 : cores * 1000.0 / cpuMsPerEpisode;
        }
    }

    public static Result run(Config c, PrintWriter progress) throws Exception {
        SandboxProvider provider = SandboxProvider.named(c.provider());
        provider.check();
        Path fixture = Files.createTempDirectory("assay-bench-fixture-");
        try {
            for (int i = 0; i < c.fixtureFiles(); i++) {
                Files.writeString(fixture.resolve("file" + i + ".txt"), "fixture file " + i + "\n".repeat(20));
            }
            Limits limits = Limits.DEFAULT;
            // Warm up (JIT, page cache), then episodes from `workers` threads for `duration`.
            for (int i = 0; i < 20; i++) provider.open(fixture, limits).close();
            progress.printf("episodes: %d workers for %d s%n", c.workers(), c.duration().toSeconds());
            progress.flush();
            String load = loadAverage();
            long cpuBefore = cpuTicks();
            var latencies = new ConcurrentLinkedQueue<Long>();
            var count = new AtomicLong();
            long start = System.nanoTime();
            long end = start + c.duration().toNanos();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> fs = new ArrayList<>();
                for (int w = 0; w < c.workers(); w++) {
                    fs.add(pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            long t = System.nanoTime();
                            provider.open(fixture, limits).close();
                            latencies.add(System.nanoTime() - t);
                            count.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (var f : fs) f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (cpuTicks() - cpuBefore) * 10.0 / Math.max(1, count.get()); // USER_HZ = 100
            long[] ep = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

            progress.printf("calls: %d x exec(\"true\") in one live sandbox%n", c.calls());
            progress.flush();
            long[] calls = new long[c.calls()];
            try (Sandbox box = provider.open(fixture, limits)) {
                for (int i = 0; i < 100; i++) check(box.exec("true"));
                for (int i = 0; i < calls.length; i++) {
                    long t = System.nanoTime();
                    ExecResult r = box.exec("true");
                    calls[i] = System.nanoTime() - t;
                    check(r);
                }
            }
            Arrays.sort(calls);
            long[] host = new long[Math.min(200, c.calls())];
            for (int i = 0; i < host.length; i++) {
                long t = System.nanoTime();
                Process p = new ProcessBuilder("/bin/bash", "-c", "true").start();
                p.waitFor();
                host[i] = System.nanoTime() - t;
            }
            Arrays.sort(host);
            return new Result(Runtime.getRuntime().availableProcessors(), load, count.get(), seconds,
                    count.get() / seconds, ms(quantile(ep, 0.5)), ms(quantile(ep, 0.99)), cpuMs, calls.length,
                    ms(quantile(calls, 0.5)), ms(quantile(calls, 0.99)), ms(quantile(host, 0.5)));
        } finally {
            try (var files = Files.walk(fixture)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind
            }
        }
    }

    /**
     * CPU time of this JVM and of its reaped children (each sandbox's bwrap, and through it everything in the
     * sandbox), in clock ticks: fields 14-17 of /proc/self/stat. The kernel's own work on other threads
     * (network-namespace clean-up runs in a kworker) is not included.
     */
    static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state), so field n is f[n - 3]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void check(ExecResult r) {
        if (!r.ok()) throw new IllegalStateException("exec(\"true\") failed in the sandbox: " + r);
    }

    /** Nearest-rank quantile of sorted values. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
