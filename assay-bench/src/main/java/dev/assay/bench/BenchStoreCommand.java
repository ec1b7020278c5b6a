package dev.assay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.cache.CachingModel;
import dev.assay.cli.Benchmark;
import dev.assay.data.DataStore;
import dev.assay.http.fake.FakeServer;
import dev.assay.run.RunSpec;
import dev.assay.run.Runner;
import dev.assay.store.Store;
import dev.assay.store.StoredRun;
import dev.assay.store.Stores;
import dev.assay.store.fake.PostgresCluster;
import dev.assay.store.pg.PgStore;
import dev.assay.store.queue.WorkQueue;
import dev.assay.store.queue.Worker;
import dev.assay.suite.Suites;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code assay bench store}: samples recorded per second through each run store, on one multiple-choice suite of
 * {@code --samples} items against the loopback fake server with {@code --latency-ms} per call: single-process
 * into a folder store (samples.jsonl + index.sqlite) and into PostgreSQL, then as a detached run in PostgreSQL
 * worked by 1, 2 and 4 workers. Each worker has its own model client with the run's {@code --concurrency}, as a
 * worker on its own machine would, so adding workers adds endpoint capacity; the workers are in this JVM (a
 * process each would add JVM start-ups to the timing, not store work). The PostgreSQL cluster is the throwaway
 * one of the tests (assay-fakes' {@code PostgresCluster}), with fsync on; the response cache is off so every
 * sample calls the server. Timing runs from the start of the run (single-process) or of the workers (detached:
 * the enqueue is before, and timed apart) to its results being written.
 * <p>
 * Last lines: {@code folder_single_sps}, {@code pg_single_sps}, {@code pg_1_worker_sps}, {@code pg_2_workers_sps},
 * {@code pg_4_workers_sps}, {@code speedup_4_vs_1} (target ≥ 3 on the 50 ms endpoint) and
 * {@code pg_vs_sqlite_single} (PostgreSQL single-process ÷ folder+SQLite single-process; target ≥ 0.8).
 */
@Command(name = "store", description = "Samples/s recorded through the folder store and PostgreSQL, single-process and with 1, 2, 4 workers.",
        mixinStandardHelpOptions = true)
public final class BenchStoreCommand implements Benchmark {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "400", description = "Samples per scenario (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "50", description = "Fake server latency per call (default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "2",
            description = "Samples in flight per process (the run's --concurrency; each worker has as many) (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Samples per claimed batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--workers", paramLabel = "K", split = ",", defaultValue = "1,2,4", description = "Worker counts (default ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Spec
    CommandSpec spec;

    record Row(String store, String mode, int processes, int samples, double seconds, double sps, long records) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("assay-bench-store");
        Path items = work.resolve("items.jsonl");
        writeItems(items, samples);
        List<Row> rows = new ArrayList<>();
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withLatency(Duration.ofMillis(latencyMs)));
             PostgresCluster pg = PostgresCluster.start(true)) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(pg.env());
            DataStore data = new DataStore(work.resolve("data"), work.resolve("data-cache"));
            // JIT warm-up on a throwaway folder run: the first measured scenario should not pay for class loading.
            singleProcess(Stores.folder(work.resolve("warmup")), data, spec(items, server, Math.min(samples, 100)), "warm-up");

            try (Store folder = Stores.folder(work.resolve("folder"))) {
                rows.add(singleProcess(folder, data, spec(items, server, samples), "folder+sqlite"));
            }
            try (PgStore store = PgStore.open("--store", pg.url(pg.newDatabase("single")), env)) {
                rows.add(singleProcess(store, data, spec(items, server, samples), "postgresql"));
            }
            for (int k : workers) {
                try (PgStore store = PgStore.open("--store", pg.url(pg.newDatabase("workers" + k)), env)) {
                    rows.add(distributed(store, data, spec(items, server, samples), k));
                }
            }
        } finally {
            deleteTree(work);
        }
        out.printf(Locale.ROOT, "%-15s %-16s %9s %8s %9s %10s %9s%n", "store", "mode", "processes", "samples", "seconds", "samples/s", "records");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-15s %-16s %9d %8d %9.2f %10.1f %9d%n", r.store(), r.mode(), r.processes(), r.samples(), r.seconds(), r.sps(),
                    r.records());
        }
        out.printf(Locale.ROOT, "latency_ms=%d concurrency_per_process=%d batch_size=%d cpus=%d (other processes share these cores)%n",
                latencyMs, concurrency, batchSize, Runtime.getRuntime().availableProcessors());
        double folderSps = rows.get(0).sps();
        double pgSps = rows.get(1).sps();
        out.printf(Locale.ROOT, "folder_single_sps=%.1f%n", folderSps);
        out.printf(Locale.ROOT, "pg_single_sps=%.1f%n", pgSps);
        Map<Integer, Double> byK = new HashMap<>();
        for (Row r : rows.subList(2, rows.size())) {
            byK.put(r.processes(), r.sps());
            out.printf(Locale.ROOT, "pg_%d_worker%s_sps=%.1f%n", r.processes(), r.processes() == 1 ? "" : "s", r.sps());
        }
        if (byK.containsKey(1) && byK.containsKey(4)) out.printf(Locale.ROOT, "speedup_4_vs_1=%.2f%n", byK.get(4) / byK.get(1));
        out.printf(Locale.ROOT, "pg_vs_sqlite_single=%.2f%n", pgSps / folderSps);
        out.flush();
        boolean complete = rows.stream().allMatch(r -> r.records() == r.samples());
        return complete ? 0 : 1;
    }

    private RunSpec spec(Path items, FakeServer server, int n) {
        return new RunSpec(List.of("file:" + items + "#input=q,choices=options,target=answer"), "openai-compatible/fake-1", Map.of(), n, 1, 7,
                null, concurrency, List.of(server.baseUrl().toString()), Map.of("cache", "false"));
    }

    private static Row singleProcess(Store store, DataStore data, RunSpec spec, String name) {
        Runner runner = new Runner(store, data, Suites.discover(), CachingModel.opener(store));
        long t0 = System.nanoTime();
        Runner.Outcome o = runner.start(spec, Runner.Listener.NONE);
        double s = (System.nanoTime() - t0) / 1e9;
        long records = store.find(o.id()).recordCount();
        return new Row(name, "single-process", 1, spec.limit(), s, spec.limit() / s, records);
    }

    private Row distributed(PgStore store, DataStore data, RunSpec spec, int k) throws Exception {
        Runner runner = new Runner(store, data, Suites.discover(), CachingModel.opener(store));
        StoredRun run = store.create();
        runner.prepare(spec, run);
        List<WorkQueue.Unit> units = runner.units(spec).stream().map(u -> new WorkQueue.Unit(u[0], u[1], Integer.parseInt(u[2]))).toList();
        store.sql("enqueue", c -> {
            c.setAutoCommit(false);
            WorkQueue.enqueue(c, run.id(), units, batchSize);
            c.commit();
            return null;
        });
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(k)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Worker w = new Worker(store, store::connection, runner::session,
                        new Worker.Options(Duration.ofSeconds(30), Duration.ofMillis(100), true), quiet);
                done.add(pool.submit(w::run));
            }
            for (Future<Integer> f : done) f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        boolean results = store.sql("check results", c -> WorkQueue.progress(c, run.id()).orElseThrow().resultsAt() != null);
        if (!results) throw new IllegalStateException("the workers finished without writing the results of run " + run.id());
        return new Row("postgresql", "workers", k, units.size(), s, units.size() / s, run.recordCount());
    }

    private static void writeItems(Path file, int n) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        List<String> colours = List.of("red", "green", "blue", "yellow");
        for (int i = 0; i < n; i++) {
            sb.append(json.writeValueAsString(Map.of("q", "Item " + i + ": which colour comes next after " + colours.get(i % 4) + "?",
                    "options", colours, "answer", colours.get((i + 1) % 4)))).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp folder
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchStoreCommand()).execute(args));
    }
}
