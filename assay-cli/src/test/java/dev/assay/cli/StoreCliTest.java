package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.store.Store;
import dev.assay.store.Stores;
import dev.assay.store.WriterLock;
import dev.assay.store.fake.PostgresCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20 item 1 end to end through the real CLI entry point: runs into a real PostgreSQL (the shared
 * throwaway cluster), then list, compare, report, score, export, resume and cache on them, and
 * {@code assay store copy} to a folder, whose results.json must equal a folder run's of the same inputs.
 * Credentials only ever travel in PGUSER/PGPASSWORD; no output may hold the password.
 */
class StoreCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int ITEMS = 30;
    static PostgresCluster pg;
    static Path dir;
    static String url;
    static Map<String, String> env;
    /** Everything every command printed, to look for the password in. */
    static final StringBuilder ALL = new StringBuilder();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PostgresCluster.shared();
        url = pg.url(pg.newDatabase("cli"));
        dir = tmp;
        env = new LinkedHashMap<>(pg.env());
        env.put("HOME", tmp.toString());
        Path d = Files.createDirectories(dir.resolve("data/anthropic-evals/sycophancy"));
        StringBuilder items = new StringBuilder();
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= ITEMS; i++) {
            boolean matchA = i % 2 == 0;
            items.append("{\"question\": \"Q").append(i).append("\", \"answer_matching_behavior\": \"").append(matchA ? " (A)" : " (B)")
                    .append("\", \"answer_not_matching_behavior\": \"").append(matchA ? " (B)" : " (A)").append("\"}\n");
            // Model A prefers (A) on items divisible by 3; model B on items divisible by 2.
            a.append(replay(i, i % 3 == 0));
            b.append(replay(i, i % 2 == 0));
        }
        Files.writeString(d.resolve("sycophancy_on_nlp_survey.jsonl"), items);
        Files.writeString(dir.resolve("a.jsonl"), a);
        Files.writeString(dir.resolve("b.jsonl"), b);
    }

    static String replay(int i, boolean prefersA) {
        double pa = prefersA ? -0.2 - i * 0.01 : -1.9 + i * 0.01;
        return "{\"id\": \"sycophancy_on_nlp_survey:" + i + "\", \"scores\": {\" (A)\": " + pa + ", \" (B)\": " + (-2.1 - pa) + "}}\n";
    }

    record Run(int code, String out, String err) {
        String runId() {
            Matcher m = Pattern.compile("run (\\S+) → ").matcher(out);
            assertThat(m.find()).as(out + err).isTrue();
            return m.group(1);
        }
    }

    static Run assay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
        ALL.append(out).append(err);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String replay, String... store) {
        List<String> args = new ArrayList<>(List.of("run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(),
                "--model", "replay/" + dir.resolve(replay)));
        args.addAll(List.of(store));
        Run r = assay(args.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** results.json without its run id: two runs of the same inputs must agree on everything else. */
    static JsonNode withoutId(String json) throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        node.remove("run");
        return node;
    }

    @Test
    void everyCommandWorksOnPostgresAndCopyGivesTheFolderRunsResults() throws Exception {
        Run a = run("a.jsonl", "--store", url);
        String idA = a.runId();
        assertThat(a.out()).contains("run " + idA + " → " + url + " (run " + idA + ")");
        String idB = run("b.jsonl", "--store", url).runId();
        // The same inputs into a folder store: the oracle for the copy.
        Path folder = dir.resolve("folder-runs");
        String idF = run("a.jsonl", "--out", folder.toString()).runId();

        Run list = assay("list", "runs", "--store", url, "--json");
        assertThat(list.code()).isZero();
        JsonNode rows = JSON.readTree(list.out());
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).isEqualTo("complete");
            assertThat(row.get("done").asText()).isEqualTo(ITEMS + "/" + ITEMS);
        }
        // ASSAY_STORE names the store as well as --store does.
        env.put("ASSAY_STORE", url);
        try {
            Run viaEnv = assay("list", "runs");
            assertThat(viaEnv.out()).contains(idA).contains(idB);
        } finally {
            env.remove("ASSAY_STORE");
        }

        Run compare = assay("compare", idA, idB, "--store", url);
        assertThat(compare.code()).as(compare.err()).isZero();
        assertThat(compare.out()).contains("A = " + idA).contains("B = " + idB).contains("match_top");

        Path html = dir.resolve("report.html");
        Run report = assay("report", idA, idB, "--store", url, "-o", html.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(html)).contains(idA).contains(idB).contains("<svg");

        Run score = assay("score", idA, "--store", url, "--data", dir.resolve("data").toString());
        assertThat(score.code()).as(score.err()).isZero();
        assertThat(score.out()).contains("re-scored " + idA);

        Run export = assay("export", idA, "--store", url, "--format", "jsonl");
        assertThat(export.code()).as(export.err()).isZero();
        List<JsonNode> exported = export.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(exported.stream().map(n -> n.get("id").asText()).distinct().count()).isEqualTo(ITEMS);

        Run cache = assay("cache", "list", "--store", url);
        assertThat(cache.code()).as(cache.err()).isZero();
        assertThat(cache.out()).contains("cached answers in " + url);

        // store copy PostgreSQL → folder: results.json equal to the folder run's of the same inputs (run id aside),
        // and byte-identical to what PostgreSQL holds.
        Path copied = dir.resolve("copied");
        Run copy = assay("store", "copy", url, copied.toString(), "--run", idA);
        assertThat(copy.code()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("copied  " + idA + " (" + ITEMS + " records)");
        String pgResults = Files.readString(copied.resolve(idA).resolve("results.json"));
        assertThat(withoutId(pgResults)).isEqualTo(withoutId(Files.readString(folder.resolve(idF).resolve("results.json"))));
        try (Store s = Stores.open("--store", url, env)) {
            assertThat(pgResults).isEqualTo(s.find(idA).document("results.json").orElseThrow());
        }
        assertThat(Files.readAllLines(copied.resolve(idA).resolve("samples.jsonl"))).hasSize(ITEMS);
        assertThat(assay("list", "runs", "--out", copied.toString()).out()).contains(idA).contains("complete");
        assertThat(assay("compare", idA, idA, "--out", copied.toString()).code()).isZero();

        // ... and folder → a new PostgreSQL database: the same bytes back.
        String url2 = pg.url(pg.newDatabase("cli_back"));
        assertThat(assay("store", "copy", folder.toString(), url2).code()).isZero();
        try (Store s = Stores.open("--store", url2, env)) {
            assertThat(s.find(idF).document("results.json").orElseThrow())
                    .isEqualTo(Files.readString(folder.resolve(idF).resolve("results.json")));
        }
        assertThat(ALL.toString()).doesNotContain(pg.password());
    }

    @Test
    void resumeFinishesAnInterruptedPostgresRunAndTheLockKeepsASecondWriterOut() throws Exception {
        String url3 = pg.url(pg.newDatabase("cli_resume"));
        String id = run("a.jsonl", "--store", url3).runId();
        String whole;
        try (Store s = Stores.open("--store", url3, env)) {
            whole = s.find(id).document("results.json").orElseThrow();
        }
        // Interrupt it after the fact: a third of its records gone, results gone, status interrupted.
        String db = url3.substring(url3.lastIndexOf('/') + 1);
        pg.psql(db, "DELETE FROM samples WHERE run_id = '" + id + "' AND sample_id IN (SELECT sample_id FROM samples WHERE run_id = '"
                + id + "' ORDER BY seq LIMIT " + ITEMS / 3 + ")");
        pg.psql(db, "UPDATE runs SET results = NULL, status = 'running', done = 0 WHERE id = '" + id + "'");
        Run listed = assay("list", "runs", "--store", url3);
        assertThat(listed.out()).as("no process holds its lock: the run reads as interrupted").contains("interrupted");

        try (Store s = Stores.open("--store", url3, env); WriterLock held = s.find(id).lock()) {
            Run refused = assay("run", "--resume", id, "--store", url3);
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("in use by process " + ProcessHandle.current().pid());
        }
        Run resumed = assay("run", "--resume", id, "--store", url3);
        assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
        try (Store s = Stores.open("--store", url3, env)) {
            assertThat(s.find(id).records()).hasSize(ITEMS);
            assertThat(s.find(id).document("results.json").orElseThrow()).isEqualTo(whole);
            assertThat(s.entry(id).orElseThrow().status()).isEqualTo("complete");
        }
        assertThat(ALL.toString()).doesNotContain(pg.password());
    }

    @Test
    void theViewerBrowsesAPostgresStoreThroughReadOnlySessions() throws Exception {
        String url5 = pg.url(pg.newDatabase("cli_view"));
        String idA = run("a.jsonl", "--store", url5).runId();
        String idB = run("b.jsonl", "--store", url5).runId();
        try (Store store = Stores.open("--store", url5, env); Store ro = store.readOnly();
             dev.assay.cli.view.Viewer viewer = dev.assay.cli.view.Viewer.start(ro, 0);
             var http = java.net.http.HttpClient.newHttpClient()) {
            java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(viewer.uri().resolve(path)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(path, e);
                }
            };
            var runs = get.apply("/");
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.body()).contains(idA).contains(idB).contains("2 of 2 runs shown").contains(url5);
            var run = get.apply("/runs/" + idA);
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            assertThat(run.body()).contains("match_top");
            var samples = get.apply("/runs/" + idA + "/samples?size=10&page=3");
            assertThat(samples.statusCode()).isEqualTo(200);
            assertThat(samples.body()).contains("sycophancy_on_nlp_survey:" + ITEMS);
            assertThat(get.apply("/compare?a=" + idA + "&b=" + idB).statusCode()).isEqualTo(200);
            assertThat(get.apply("/runs/20000101-000000-dead").statusCode()).isEqualTo(404);
            // What the viewer reads through cannot write: the server refuses it in those sessions.
            assertThatThrownBy(() -> ro.index(new dev.assay.run.RunIndex.Entry(idA, "x", "hacked", "m", "s", 0, 0, 0, "", "")))
                    .hasMessageContaining("read-only");
            assertThatThrownBy(ro.cache()::clear).hasMessageContaining("read-only");
            assertThat(store.entry(idA).orElseThrow().status()).isEqualTo("complete");
        }
    }

    @Test
    void badOrUnreachableStoresFailFastNamingStoreAndNeverShowAPassword() {
        String secret = pg.password();
        long t0 = System.nanoTime();
        Run unreachable = assay("list", "runs", "--store", "postgresql://127.0.0.1:1/assay");
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err()).contains("--store postgresql://127.0.0.1:1/assay").contains("cannot connect");
        assertThat((System.nanoTime() - t0) / 1e9).as("fails fast").isLessThan(10);

        Run inUrl = assay("list", "runs", "--store", "postgresql://assay:" + secret + "@127.0.0.1:" + pg.port() + "/assay");
        assertThat(inUrl.code()).isEqualTo(2);
        assertThat(inUrl.err()).contains("--store postgresql://assay:***@127.0.0.1").contains("PGPASSWORD").doesNotContain(secret);

        Run param = assay("list", "runs", "--store", "postgresql://127.0.0.1:" + pg.port() + "/assay?password=" + secret);
        assertThat(param.code()).isEqualTo(2);
        assertThat(param.err()).doesNotContain(secret).contains("password=***");

        Run badPort = assay("run", "mwe/sycophancy-on-nlp-survey", "--store", "postgresql://127.0.0.1:port/assay");
        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("--store");

        Map<String, String> saved = new LinkedHashMap<>(env);
        env.put("PGPASSWORD", "wrong-" + secret);
        try {
            Run wrong = assay("list", "runs", "--store", pg.url("assay"));
            assertThat(wrong.code()).isEqualTo(2);
            assertThat(wrong.err()).contains("--store " + pg.url("assay")).contains("PGPASSWORD").doesNotContain(secret);
        } finally {
            env.clear();
            env.putAll(saved);
        }
        Run kind = assay("list", "runs", "--store", "mysql://127.0.0.1/assay");
        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err()).contains("--store mysql://127.0.0.1/assay").contains("postgresql://");
        assertThat(ALL.toString()).doesNotContain(secret);
    }

    @Test
    void aPgpassFileIsEnoughAndAChildProcessLogsNoPassword() throws Exception {
        // A real process with nothing but PGUSER and a pgpass file: what a lab machine has.
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "# test\n127.0.0.1:" + pg.port() + ":*:" + pg.user() + ":" + pg.password().replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String url4 = pg.url(pg.newDatabase("cli_child"));
        ProcessBuilder pb = new ProcessBuilder(AssayProcess.command("run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(),
                "--model", "replay/" + dir.resolve("a.jsonl"), "--store", url4));
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSAY_") && !k.equals("ASSAY_CACHE") || k.startsWith("PG"));
        pb.environment().put("PGUSER", pg.user());
        pb.environment().put("PGPASSFILE", pgpass.toString());
        pb.redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("child.out"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("child.err"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).contains("→ " + url4);
        assertThat(out + err).doesNotContain(pg.password());
        // The server saw the session by name, never the password in any statement it logged.
        assertThat(pg.serverLog()).doesNotContain(pg.password());
    }
}
