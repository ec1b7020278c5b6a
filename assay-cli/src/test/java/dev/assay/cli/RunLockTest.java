package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 1 (and item 9's "running 0/N after a SIGKILL"): real assay processes on one run folder.
 * A loopback OpenAI-compatible server answers "Say N" with "N" and holds every answer for N ≥ 4 while
 * it is held ({@link HoldingServer}), so a process is reliably mid-run (lock taken, three samples logged) while another starts.
 */
class RunLockTest {
    static final int ITEMS = 10;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HoldingServer server;

    @BeforeEach
    void serve() throws Exception {
        server = new HoldingServer(4);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Path store() {
        return dir.resolve("runs");
    }

    /** Waits until a process is blocked inside the server with its first three samples logged. */
    Path waitMidRun(Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertThat(p.isAlive()).as("the first process is still running").isTrue();
            if (server.held() > 0 && Files.isDirectory(store())) {
                try (var s = Files.list(store())) {
                    Path run = s.filter(d -> Files.exists(d.resolve("samples.jsonl"))).findFirst().orElse(null);
                    if (run != null && Files.readAllLines(run.resolve("samples.jsonl")).size() >= 3) return run;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the first process never got mid-run");
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndAKilledHolderFreesTheRun() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= ITEMS; i++) sb.append("{\"input\": \"Say ").append(i).append("\", \"target\": \"").append(i).append("\"}\n");
        Path items = Files.writeString(dir.resolve("items.jsonl"), sb.toString());
        String url = server.baseUrl();

        // A: a new run, held mid-run by the server.
        Process a = AssayProcess.start(dir, "a", AssayProcess.command("run", "file:" + items + "#target=target",
                "--model", "openai-compatible/m", "--model-base-url", url, "--concurrency", "1", "--no-cache", "--out", store().toString()));
        Path run = waitMidRun(a);
        String id = run.getFileName().toString();

        // B: a second writer on the same run is refused at once, naming A's PID. Before: both wrote samples.jsonl.
        var b = AssayProcess.run(dir, "b", "run", "--resume", id, "--out", store().toString());
        assertThat(b.code()).as(b.err()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(b.err()).contains("in use by process " + a.pid(), id);

        // SIGKILL A: the kernel drops its lock. The index still says "running"; list shows what is really there.
        a.destroyForcibly().waitFor();
        var list = AssayProcess.run(dir, "list", "list", "runs", "--out", store().toString());
        String row = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).as(list.out()).contains("interrupted").contains(" 3/" + ITEMS).doesNotContain("running");

        // Two resumes at once, the case: C holds the run, D is refused naming C.
        Process c = AssayProcess.start(dir, "c", AssayProcess.command("run", "--resume", id, "--out", store().toString()));
        for (int i = 0; i < 600 && server.held() < 2; i++) Thread.sleep(100); // A's request is still held too
        assertThat(server.held()).as("C reached the server").isGreaterThanOrEqualTo(2);
        var d = AssayProcess.run(dir, "d", "run", "--resume", id, "--out", store().toString());
        assertThat(d.code()).as(d.err()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(d.err()).contains("in use by process " + c.pid());
        // While C runs, list says running (its lock is held).
        var list2 = AssayProcess.run(dir, "list2", "list", "runs", "--out", store().toString());
        assertThat(list2.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow()).contains("running");

        server.release();
        var cr = AssayProcess.finish(dir, "c", c);
        assertThat(cr.code()).as(cr.err()).isZero();
        assertThat(cr.out()).contains("accuracy", "1.0000");

        // Every sample exactly once, every line a record.
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(run.resolve("samples.jsonl"));
        for (String line : lines) {
            JsonNode r = JSON.readTree(line);
            assertThat(ids.add(r.path("id").asText())).as("duplicate " + r.path("id")).isTrue();
        }
        assertThat(ids).hasSize(ITEMS);
    }

    @Test
    void resumeRepairsALogWithDuplicateRecordsKeepingTheFirst() throws Exception {
        // A log as two unlocked writers left it: duplicates of finished samples and a line torn mid-file.
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) sb.append("{\"input\": \"Say ").append(i).append("\", \"target\": \"").append(i).append("\"}\n");
        Path items = Files.writeString(dir.resolve("items.jsonl"), sb.toString());
        Path replay = Files.writeString(dir.resolve("r.jsonl"), "{\"id\": \"items:1\", \"completion\": \"1\"}\n"
                + "{\"id\": \"items:2\", \"completion\": \"2\"}\n{\"id\": \"items:3\", \"completion\": \"3\"}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "file:" + items + "#target=target",
                "--model", "replay/" + replay, "--out", store().toString())).isZero();
        Path run;
        try (var s = Files.list(store())) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path log = run.resolve("samples.jsonl");
        List<String> good = Files.readAllLines(log);
        String first = good.getFirst();
        String firstAgain = first.replace("\"millis\":", "\"millis\":1"); // same sample, a later copy
        String torn = good.get(1).substring(0, 40);
        Files.writeString(log, first + "\n" + firstAgain + "\n" + torn + good.get(2) + "\n" + good.get(1) + "\n"
                + good.get(2) + "\n" + good.get(2) + "\n");
        // Before the fix: score and resume failed on "samples.jsonl:3: not a sample record".
        Files.delete(run.resolve("results.json"));
        out.getBuffer().setLength(0);
        // The runner reports the repair on the process's stderr (as the launcher shows it).
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--resume", run.getFileName().toString(),
                    "--out", store().toString());
        } finally {
            System.setErr(stderr);
        }
        err.write(captured.toString(StandardCharsets.UTF_8));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("repaired " + log, "dropped 2 duplicate record(s)", "1 unreadable line(s)", "kept the first");
        List<String> now = Files.readAllLines(log);
        assertThat(now).containsExactly(first, good.get(1), good.get(2));
        assertThat(out.toString()).contains("accuracy", "1.0000");
    }
}
