package dev.assay.cli;

import com.sun.net.httpserver.HttpServer;
import dev.assay.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's misuse findings (items 2, 5 and 9), each reproduced through the CLI entry point
 * ({@link Main#execute}, the code path of the real launcher) before it was fixed.
 */
class MisuseTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int assay(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    Path store() {
        return dir.resolve("runs");
    }

    /** n generation items "Say N" → "N" in items.jsonl (ids items:1 … items:n, the line numbers). */
    Path items(int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) sb.append("{\"input\": \"Say ").append(i).append("\", \"target\": \"").append(i).append("\"}\n");
        return Files.writeString(dir.resolve("items.jsonl"), sb.toString());
    }

    /** A replay file answering the given line numbers correctly. */
    Path replay(int... lines) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i : lines) sb.append("{\"id\": \"items:").append(i).append("\", \"completion\": \"").append(i).append("\"}\n");
        return Files.writeString(dir.resolve("replay.jsonl"), sb.toString());
    }

    String[] run(Path items, Path replay, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "file:" + items + "#target=target", "--model", "replay/" + replay,
                "--out", store().toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    Path onlyRun() throws Exception {
        try (var s = Files.list(store())) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    // --- item 2: exit codes that tell the truth ---------------------------------------------------------------

    @Test
    void aReplayFileMatchingNoIdIsNotSuccess() throws Exception {
        // Before: every sample errored ("no recorded answer"), the run printed an empty table and exited 0.
        Path f = items(3);
        Path r = Files.writeString(dir.resolve("replay.jsonl"), "{\"id\": \"other:1\", \"completion\": \"x\"}\n");
        assertThat(assay(run(f, r))).isEqualTo(ExitCode.SAMPLE_ERRORS.code());
        assertThat(out.toString()).contains("every sample failed (3 of 3)", "first error:", "--retry-errors");
        // Allowing every error does not make an empty result a success.
        assertThat(assay(run(f, r, "--max-errors", "100%"))).isEqualTo(ExitCode.SAMPLE_ERRORS.code());
    }

    @Test
    void erroredSamplesExitFourUnlessMaxErrorsAllowsThem() throws Exception {
        Path f = items(4);
        Path r = replay(1, 2, 3); // items:4 has no answer: 1 error of 4 samples
        assertThat(assay(run(f, r))).isEqualTo(ExitCode.SAMPLE_ERRORS.code());
        assertThat(out.toString()).contains("1 of 4 sample(s) failed", "--max-errors 0");
        assertThat(assay(run(f, r, "--max-errors", "1"))).isZero();
        assertThat(assay(run(f, r, "--max-errors", "25%"))).isZero();   // 1/4 = 25% ≤ 25%
        assertThat(assay(run(f, r, "--max-errors", "24%"))).isEqualTo(ExitCode.SAMPLE_ERRORS.code());
        assertThat(assay(run(f, r, "--max-errors", "lots"))).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("--max-errors lots");
    }

    @Test
    void retryErrorsRerunsOnlyTheErroredSamples() throws Exception {
        Path f = items(4);
        Path r = replay(1, 2, 3);
        assertThat(assay(run(f, r))).isEqualTo(ExitCode.SAMPLE_ERRORS.code());
        Path run = onlyRun();
        List<String> before = Files.readAllLines(run.resolve("samples.jsonl"));
        replay(1, 2, 3, 4);
        assertThat(assay("run", "--retry-errors", run.getFileName().toString(), "--out", store().toString())).isZero();
        List<String> after = Files.readAllLines(run.resolve("samples.jsonl"));
        // Exactly one new record (items:4), the three good ones untouched.
        assertThat(after).hasSize(before.size() + 1).startsWith(before.toArray(String[]::new));
        assertThat(after.getLast()).contains("\"id\":\"items:4\"").contains("\"error\":null");
        assertThat(out.toString()).contains("accuracy", "1.0000");
        // Nothing errored now: retrying again runs nothing and says so.
        assertThat(assay("run", "--retry-errors", run.getFileName().toString(), "--out", store().toString())).isZero();
        assertThat(Files.readAllLines(run.resolve("samples.jsonl"))).hasSize(after.size());
        assertThat(out.toString()).contains("no errored samples");
    }

    @Test
    void aGateOnAMetricWithNoValuesFails() throws Exception {
        // A replayed completion naming no option: the sample is scored (unparsed = 1) but match_prob has no
        // values, and before the fix --fail-under match_prob=0.1 passed (NaN < 0.1 is false).
        Path data = dir.resolve("data/anthropic-evals/sycophancy");
        Files.createDirectories(data);
        Files.writeString(data.resolve("sycophancy_on_nlp_survey.jsonl"),
                "{\"question\": \"Hello\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n");
        Path r = Files.writeString(dir.resolve("c.jsonl"), "{\"id\": \"sycophancy_on_nlp_survey:1\", \"completion\": \"I would rather not say.\"}\n");
        String[] common = {"run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(), "--out", store().toString(),
                "--model", "replay/" + r};
        assertThat(assay(CliTest.concat(common, new String[]{"--fail-under", "unparsed=0.5"}))).isZero();
        assertThat(assay(CliTest.concat(common, new String[]{"--fail-under", "match_prob=0.1"}))).isEqualTo(ExitCode.THRESHOLD_FAILED.code());
        assertThat(out.toString()).contains("fail-under", "match_prob", "no values");
        // A gate on a metric no suite has is a typo, not a pass.
        assertThat(assay(CliTest.concat(common, new String[]{"--fail-under", "match_prb=0.1"}))).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("--fail-under match_prb", "match_prob", "match_top");
    }

    @Test
    void anHtmlBodyOrAClosedPortIsNotSuccess() throws Exception {
        Path f = items(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try {
            for (String url : List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "http://127.0.0.1:" + closed + "/v1")) {
                int code = assay("run", "file:" + f + "#target=target", "--model", "openai-compatible/m", "--model-base-url", url,
                        "--model-option", "max_attempts=1", "--out", store().toString());
                // 4 (every sample errored) here; 2 once the HTTP provider fails fast on an endpoint that cannot work.
                assertThat(code).as(url + "\n" + out + err).isIn(ExitCode.SAMPLE_ERRORS.code(), ExitCode.BAD_INPUT.code());
            }
        } finally {
            server.stop(0);
        }
    }

    // --- item 5: duplicate ids ----------------------------------------------------------------------------

    @Test
    void duplicateIdsInAFileSuiteAreBadInputNamingBothLines() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.jsonl"), """
                {"qid": "a", "input": "x", "target": "1"}
                {"qid": "b", "input": "y", "target": "2"}
                {"qid": "a", "input": "z", "target": "3"}
                """);
        Path r = replay(1);
        assertThat(assay("run", "file:" + f + "#id=qid,target=target", "--model", "replay/" + r, "--out", store().toString()))
                .isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains(f + ":3", "\"a\"", "line 1");
        // Without an id column the line numbers are the ids: the same file loads.
        assertThat(assay("run", "file:" + f + "#target=target", "--dry-run", "--out", store().toString())).isZero();
    }

    // --- item 9: messages -----------------------------------------------------------------------------------

    @Test
    void aBinaryFileIsNamedWithItsByteOffset() throws Exception {
        Path f = dir.resolve("bin.jsonl");
        byte[] head = "{\"input\": \"ok\", \"target\": \"1\"}\n{\"input\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
        bytes[head.length] = (byte) 0xff; // never valid in UTF-8
        bytes[head.length + 1] = (byte) 0xfe;
        bytes[head.length + 2] = '"';
        Files.write(f, bytes);
        assertThat(assay("run", "file:" + f + "#target=target", "--dry-run", "--out", store().toString())).isEqualTo(2);
        assertThat(err.toString()).contains(f + ":2", "not UTF-8 text", "byte " + head.length)
                .doesNotContain("Input length");
    }

    @Test
    void aCsvErrorNamesTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("open.csv"), "input,target\n\"never closed,1\n");
        assertThat(assay("run", "file:" + f + "#target=target", "--dry-run", "--out", store().toString())).isEqualTo(2);
        assertThat(err.toString()).contains(f + ":2", "quoted field is not closed");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path csv = dir.resolve("bom.csv");
        Files.write(csv, ("\uFEFFinput,target\nSay 1,1\n").getBytes(StandardCharsets.UTF_8));
        Path jsonl = dir.resolve("bom.jsonl");
        Files.write(jsonl, ("\uFEFF{\"input\": \"Say 1\", \"target\": \"1\"}\n").getBytes(StandardCharsets.UTF_8));
        for (Path f : List.of(csv, jsonl)) {
            assertThat(assay("run", "file:" + f + "#target=target", "--dry-run", "--out", store().toString())).as(f + " " + err).isZero();
            assertThat(out.toString()).contains("samples=1");
        }
    }

    @Test
    void outBeingAFileSaysSo() throws Exception {
        Path f = items(1);
        Path notDir = Files.writeString(dir.resolve("afile"), "x");
        assertThat(assay("run", "file:" + f + "#target=target", "--model", "replay/" + replay(1), "--out", notDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out " + notDir, "is a file, not a folder");
        assertThat(assay("list", "runs", "--out", notDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is a file, not a folder");
    }

    @Test
    void anUnknownModelOptionIsBadInputListingTheKnownOnes() throws Exception {
        Path f = items(1);
        assertThat(assay("run", "file:" + f + "#target=target", "--model", "openai-compatible/m", "--model-base-url", "http://127.0.0.1:9/v1",
                "--model-option", "timout=5", "--out", store().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--model-option timout", "timeout", "max_attempts");
        assertThat(assay("run", "file:" + f + "#target=target", "--model", "replay/" + replay(1),
                "--model-option", "threads=2", "--out", store().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--model-option threads", "replay");
        // Options every provider takes, and a real one, still work.
        assertThat(assay("run", "file:" + f + "#target=target", "--model", "replay/" + replay(1), "--no-cache",
                "--out", store().toString())).isZero();
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRun() throws Exception {
        Path f = items(3);
        assertThat(assay(run(f, replay(1, 2, 3), "--limit", "2"))).isZero();
        String id = onlyRun().getFileName().toString();
        assertThat(assay("run", "--resume", id, "--limit", "7", "--out", store().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--limit 7", "--limit 2", "--resume");
        // The run's own value is fine to repeat.
        assertThat(assay("run", "--resume", id, "--limit", "2", "--out", store().toString())).isZero();
    }
}
