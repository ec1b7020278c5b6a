package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.http.fake.FakeServer;
import dev.assay.store.fake.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20's acceptance test, with real parts: a real PostgreSQL (the throwaway cluster), the loopback fake
 * OpenAI-compatible server with latency, and the real CLI in processes of its own. A run is enqueued with
 * --detach; two workers start, one is SIGKILLed mid-run, a third starts late; when they are done every
 * (sample, epoch) has exactly one row, the killed worker's batch was claimed again after its lease expired,
 * and results.json is the one a single-process run of the same spec writes (run id aside).
 */
class DistributedRunTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int ITEMS = 60;
    static final int EPOCHS = 2;

    @Test
    void threeWorkersOneKilledOneLateRecordEverySampleOnceWithSingleProcessResults(@TempDir Path dir) throws Exception {
        PostgresCluster pg = PostgresCluster.shared();
        String db = pg.newDatabase("distributed");
        String store = pg.url(db);
        Path items = dir.resolve("items.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            sb.append(JSON.writeValueAsString(Map.of("q", "Question " + i + ": which colour is item " + i + "?",
                    "options", List.of("red", "green", "blue"), "answer", List.of("red", "green", "blue").get(i % 3)))).append('\n');
        }
        Files.writeString(items, sb.toString(), StandardCharsets.UTF_8);
        try (var server = FakeServer.start(FakeServer.Options.defaults().withLatency(Duration.ofMillis(150)))) {
            List<String> spec = List.of("run", "file:" + items, "--field", "input=q,choices=options,target=answer",
                    "--model", "openai-compatible/fake-1", "--model-base-url", server.baseUrl().toString(),
                    "--epochs", String.valueOf(EPOCHS), "--seed", "11", "--concurrency", "2", "--no-cache");

            // The single-process reference, in a folder store.
            var single = AssayProcess.run(dir, "single", with(spec, "--out", dir.resolve("single").toString()).toArray(String[]::new));
            assertThat(single.code()).as(single.err()).isZero();
            JsonNode expected = JSON.readTree(onlyRun(dir.resolve("single")).resolve("results.json").toFile());

            // Enqueue it in PostgreSQL: 120 units in batches of 6.
            var detach = finish(dir, "detach", start(dir, "detach", pg, with(spec, "--store", store, "--detach", "--batch-size", "6")));
            assertThat(detach.code()).as(detach.err()).isZero();
            String run = detach.out().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];
            assertThat(detach.out()).contains(ITEMS * EPOCHS + " samples in 20 batch(es)");
            assertThat(count(pg, db, "SELECT count(*) FROM samples WHERE run_id = '" + run + "'")).isZero();

            List<String> worker = List.of("worker", "--store", store, "--exit-when-idle", "--lease-seconds", "2", "--poll-seconds", "0.3");
            Process w1 = start(dir, "w1", pg, worker);
            Process w2 = start(dir, "w2", pg, worker);
            // Let w1 record a few samples, then SIGKILL it while it holds a lease.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(pg, db, "SELECT count(*) FROM work_tasks WHERE lease_owner LIKE '%:" + w1.pid() + ":%' AND state = 'done'") < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            while (count(pg, db, "SELECT count(*) FROM work_tasks WHERE lease_owner LIKE '%:" + w1.pid() + ":%' AND state = 'leased'") < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(w1.isAlive()).as("w1 still working when killed").isTrue();
            long killedHolding = count(pg, db, "SELECT count(*) FROM work_tasks WHERE lease_owner LIKE '%:" + w1.pid() + ":%' AND state = 'leased'");
            w1.destroyForcibly(); // SIGKILL: no shutdown hook, no release
            assertThat(w1.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(killedHolding).isEqualTo(1);
            long recordedAtKill = count(pg, db, "SELECT count(*) FROM samples WHERE run_id = '" + run + "'");
            assertThat(recordedAtKill).as("killed mid-run").isBetween(1L, (long) ITEMS * EPOCHS - 1);

            Process w3 = start(dir, "w3", pg, worker); // started late, after the kill
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE run_id = '" + run + "' AND state = 'queued'"))
                    .as("work left for the late worker").isGreaterThanOrEqualTo(6);
            // Status from "another machine" while it runs.
            var midway = finish(dir, "status-mid", start(dir, "status-mid", pg, List.of("status", run, "--store", store)));
            assertThat(midway.code()).as(midway.err()).isZero();
            assertThat(midway.out()).contains("of " + ITEMS * EPOCHS + " recorded").contains("batches:").contains("workers:")
                    .contains("(distributed)");

            var r2 = finish(dir, "w2", w2);
            var r3 = finish(dir, "w3", w3);
            assertThat(r2.code()).as(r2.err()).isZero();
            assertThat(r3.code()).as(r3.err()).isZero();

            // Every (suite, sample, epoch) exactly once, and exactly the run's units.
            Map<String, Integer> rows = new HashMap<>();
            try (Connection c = connect(pg, db); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT suite, sample_id, epoch, ok FROM samples WHERE run_id = '" + run + "'")) {
                while (rs.next()) {
                    rows.merge(rs.getString(2) + "#" + rs.getInt(3), 1, Integer::sum);
                    assertThat(rs.getBoolean(4)).isTrue();
                }
            }
            Set<String> want = new HashSet<>();
            for (String line : Files.readAllLines(onlyRun(dir.resolve("single")).resolve("samples.jsonl"))) {
                JsonNode r = JSON.readTree(line);
                want.add(r.path("id").asText() + "#" + r.path("epoch").asInt());
            }
            assertThat(want).hasSize(ITEMS * EPOCHS);
            assertThat(rows.keySet()).isEqualTo(want);
            assertThat(rows.values()).containsOnly(1);
            // The killed worker's batch went to another worker once its lease passed.
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE run_id = '" + run + "' AND attempts > 1")).isGreaterThanOrEqualTo(1);
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE run_id = '" + run + "' AND state <> 'done'")).isZero();
            // w3 joined late and did work.
            assertThat(r3.err()).contains("batch");
            assertThat(r2.err() + r3.err()).contains("attempt 2");

            // results.json: written once by the last batch's finisher, equal to the single-process run's.
            JsonNode got;
            try (Connection c = connect(pg, db); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT results::text FROM runs WHERE id = '" + run + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("results written by a worker").isNotNull();
                got = JSON.readTree(rs.getString(1));
            }
            assertThat(count(pg, db, "SELECT count(*) FROM work_runs WHERE run_id = '" + run + "' AND results_at IS NOT NULL")).isEqualTo(1);
            assertThat(withoutRunId(got)).isEqualTo(withoutRunId(expected));
            assertThat(got.path("run").asText()).isEqualTo(run);
            assertThat((r2.err() + r3.err()).lines().filter(l -> l.contains("complete: results written")).count()).isEqualTo(1);

            assertThat(count(pg, db, "SELECT count(*) FROM runs WHERE id = '" + run + "' AND status = 'complete' AND done = " + ITEMS * EPOCHS))
                    .as("the index row").isEqualTo(1);
            var status = finish(dir, "status", start(dir, "status", pg, List.of("status", run, "--store", store)));
            assertThat(status.out()).contains(ITEMS * EPOCHS + " of " + ITEMS * EPOCHS + " recorded").contains("20 done")
                    .contains("results: written").contains(":" + w1.pid() + ":").contains("presumed dead");
            // The viewer over the shared store shows the same progress on the run's page.
            try (var shared = dev.assay.store.pg.PgStore.open("--store", store, pg.env());
                 var viewer = dev.assay.cli.view.Viewer.start(shared, 0)) {
                var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(viewer.uri().resolve("/runs/" + run)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("Distributed run").contains(ITEMS * EPOCHS + " of " + ITEMS * EPOCHS + " recorded")
                        .contains("20 done").contains("written");
            }
            // On demand, from any machine: the same numbers.
            var results = finish(dir, "results", start(dir, "results", pg, List.of("results", run, "--store", store)));
            assertThat(results.code()).as(results.err()).isZero();
            assertThat(results.out()).contains("run " + run);
        }
    }

    @Test
    void sigtermGivesTheBatchBackOrFinishesItWithinTheGrace(@TempDir Path dir) throws Exception {
        PostgresCluster pg = PostgresCluster.shared();
        String db = pg.newDatabase("sigterm");
        String store = pg.url(db);
        Path items = dir.resolve("items.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) sb.append(JSON.writeValueAsString(Map.of("q", "Q" + i, "options", List.of("a", "b"), "answer", "a"))).append('\n');
        Files.writeString(items, sb.toString(), StandardCharsets.UTF_8);
        try (var server = FakeServer.start(FakeServer.Options.defaults().withLatency(Duration.ofMillis(300)))) {
            var detach = finish(dir, "detach", start(dir, "detach", pg, List.of("run", "file:" + items, "--field", "input=q,choices=options,target=answer",
                    "--model", "openai-compatible/fake-1", "--model-base-url", server.baseUrl().toString(), "--concurrency", "1", "--no-cache",
                    "--store", store, "--detach", "--batch-size", "6")));
            assertThat(detach.code()).as(detach.err()).isZero();
            // Grace 0: the batch in hand goes back to the queue at once, not after its 60 s lease.
            Process a = start(dir, "a", pg, List.of("worker", "--store", store, "--lease-seconds", "60", "--grace-seconds", "0"));
            awaitLease(pg, db, a);
            a.destroy(); // SIGTERM
            var ra = finish(dir, "a", a);
            assertThat(ra.code()).as(ra.err()).isEqualTo(3);
            assertThat(ra.err()).contains("released batch");
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE state = 'queued'")).isEqualTo(2);
            assertThat(count(pg, db, "SELECT count(*) FROM work_workers WHERE pid = " + a.pid() + " AND stopped_at IS NOT NULL")).isEqualTo(1);
            // With a grace longer than the batch: it is finished first, then the worker stops.
            Process b = start(dir, "b", pg, List.of("worker", "--store", store, "--lease-seconds", "60", "--grace-seconds", "30"));
            awaitLease(pg, db, b);
            b.destroy();
            var rb = finish(dir, "b", b);
            assertThat(rb.code()).as(rb.err()).isEqualTo(3);
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE state = 'done'")).isEqualTo(1);
            assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE state = 'leased'")).isZero();
            assertThat(count(pg, db, "SELECT count(*) FROM samples")).isBetween(6L, 11L);
        }
    }

    /** Waits until the worker process holds a lease and has recorded a sample of it. */
    static void awaitLease(PostgresCluster pg, String db, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String held = "SELECT count(*) FROM work_tasks WHERE state = 'leased' AND lease_owner LIKE '%:" + p.pid() + ":%'";
        while ((count(pg, db, held) < 1 || count(pg, db, "SELECT count(*) FROM work_workers WHERE pid = " + p.pid() + " AND units_done > 0") < 1
                && count(pg, db, "SELECT count(*) FROM samples") < 1) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count(pg, db, held)).as("worker %d holds a lease", p.pid()).isEqualTo(1);
    }

    @Test
    void aBadOrUnreachableStoreFailsFastNamingTheOption(@TempDir Path dir) throws Exception {
        var folder = AssayProcess.run(dir, "folder", "worker", "--store", dir.toString(), "--exit-when-idle");
        assertThat(folder.code()).isEqualTo(2);
        assertThat(folder.err()).contains("--store").contains("PostgreSQL");
        var none = AssayProcess.run(dir, "none", "worker", "--exit-when-idle");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--store");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        var down = AssayProcess.run(dir, "down", "worker", "--store", "postgresql://127.0.0.1:" + port + "/assay", "--exit-when-idle");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err()).contains("--store");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aDeadEndpointGivesTheBatchBackWithTheReasonAndStopsTheWorkerWithExit2(@TempDir Path dir) throws Exception {
        PostgresCluster pg = PostgresCluster.shared();
        String db = pg.newDatabase("deadend");
        String store = pg.url(db);
        Path items = dir.resolve("items.jsonl");
        Files.writeString(items, JSON.writeValueAsString(Map.of("q", "Q", "options", List.of("a", "b"), "answer", "a")) + "\n");
        String run;
        try (var server = FakeServer.start(FakeServer.Options.defaults())) {
            var detach = finish(dir, "detach", start(dir, "detach", pg, List.of("run", "file:" + items, "--field", "input=q,choices=options,target=answer",
                    "--model", "openai-compatible/fake-1", "--model-base-url", server.baseUrl().toString(), "--no-cache",
                    "--model-option", "breaker_s=2", "--store", store, "--detach")));
            assertThat(detach.code()).as(detach.err()).isZero();
            run = detach.out().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];
        } // the endpoint is gone before any worker starts
        var w = finish(dir, "w", start(dir, "w", pg, List.of("worker", "--store", store, "--exit-when-idle")));
        assertThat(w.code()).as(w.err()).isEqualTo(2);
        assertThat(w.err()).contains("--model-base-url").contains("refused");
        assertThat(count(pg, db, "SELECT count(*) FROM work_tasks WHERE state = 'queued' AND last_error IS NOT NULL")).isEqualTo(1);
        var status = finish(dir, "status", start(dir, "status", pg, List.of("status", run, "--store", store)));
        assertThat(status.out()).contains("errors:").contains("last: ").contains("attempt 1");
        // A folder store cannot take a detached run.
        var folder = AssayProcess.run(dir, "folder", "run", "file:" + items, "--field", "input=q,choices=options,target=answer",
                "--model", "openai-compatible/fake-1", "--model-base-url", "http://127.0.0.1:9/v1", "--detach", "--out", dir.resolve("f").toString());
        assertThat(folder.code()).isEqualTo(2);
        assertThat(folder.err()).contains("--detach").contains("--store");
    }

    static JsonNode withoutRunId(JsonNode results) {
        ObjectNode copy = results.deepCopy();
        copy.remove("run");
        return copy;
    }

    static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    static Process start(Path dir, String name, PostgresCluster pg, List<String> args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(AssayProcess.command(args.toArray(String[]::new)));
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSAY_") && !k.equals("ASSAY_CACHE"));
        pb.environment().putAll(pg.env());
        pb.directory(dir.toFile());
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        return pb.start();
    }

    static AssayProcess.Result finish(Path dir, String name, Process p) throws Exception {
        return AssayProcess.finish(dir, name, p);
    }

    static Connection connect(PostgresCluster pg, String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db, pg.user(), pg.password());
    }

    static long count(PostgresCluster pg, String db, String sql) throws SQLException {
        try (Connection c = connect(pg, db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the schema is not migrated yet
            throw e;
        }
    }

    static Path onlyRun(Path store) throws Exception {
        try (var dirs = Files.list(store)) {
            return dirs.filter(d -> Files.exists(d.resolve("header.json"))).findFirst().orElseThrow();
        }
    }
}
