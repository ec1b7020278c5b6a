package dev.assay.cli;

import dev.assay.http.fake.FakeServer;
import dev.assay.http.fake.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 items 3 and 8 through the CLI against the loopback fake server: an endpoint that cannot
 * answer stops the run at once with exit 2, naming the endpoint and the cause, instead of recording
 * every sample as an error after ten attempts each; a key inside --model-base-url is written nowhere.
 */
class EndpointFailureTest {
    static final int ITEMS = 40;

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    Path items() throws IOException {
        var csv = new StringBuilder("question,answer\n");
        for (int i = 0; i < ITEMS; i++) csv.append("Say word ").append(i).append(",w").append(i).append('\n');
        return Files.writeString(dir.resolve("items.csv"), csv.toString());
    }

    int run(String model, String baseUrl, String... more) throws IOException {
        var args = new ArrayList<>(List.of("run", "file:" + items(), "--field", "input=question,target=answer",
                "--scorer", "exact", "--model", model, "--model-base-url", baseUrl, "--concurrency", "4",
                "--out", dir.resolve("runs").toString()));
        args.addAll(List.of(more));
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    /** Sample records written to the one run's samples.jsonl (0 if the run wrote none). */
    long recordedSamples() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
            var logs = files.filter(p -> p.getFileName().toString().equals("samples.jsonl")).toList();
            long n = 0;
            for (Path p : logs) n += Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
            return n;
        }
    }

    static int closedPort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectionRefusedStopsTheRunNamingTheEndpoint() throws Exception {
        int port = closedPort();
        // Before: each of the 40 samples was tried 10 times (~37 s each with backoff), recorded as an error, exit 0.
        assertThat(run("openai-compatible/m", "http://127.0.0.1:" + port + "/v1")).isEqualTo(2);
        assertThat(err.toString()).contains("127.0.0.1:" + port).contains("refused").doesNotContain("(null)");
        assertThat(recordedSamples()).isZero();
    }

    @Test
    void unknownHostStopsTheRun() throws Exception {
        // .invalid never resolves (RFC 6761)
        assertThat(run("openai-compatible/m", "http://no-such-host.invalid/v1")).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-host.invalid").contains("not found").doesNotContain("(null)");
        assertThat(recordedSamples()).isZero();
    }

    @Test
    void unknownModelStopsTheRun() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withFaults(Faults.always(Faults.Kind.MODEL_NOT_FOUND)))) {
            assertThat(run("openai-compatible/no-such-model", server.baseUrl().toString())).isEqualTo(2);
            assertThat(err.toString()).contains(server.baseUrl().toString()).contains("HTTP 404").contains("no-such-model");
            assertThat(recordedSamples()).isZero();
            assertThat(server.received()).isLessThanOrEqualTo(4); // the calls in flight, once each
        }
    }

    @Test
    void refusedKeyStopsTheRun() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("the-right-key"))) {
            assertThat(run("openai-compatible/m", server.baseUrl().toString())).isEqualTo(2);
            assertThat(err.toString()).contains("HTTP 401").contains(server.baseUrl().toString());
            assertThat(server.received()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void anAnswerWithTheWrongNumberOfChoicesStopsTheRun() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withFaults(Faults.always(Faults.Kind.WRONG_CHOICES)))) {
            // Before: 10 attempts per sample, 400 requests, every sample an error, exit 0.
            assertThat(run("openai-compatible/m", server.baseUrl().toString())).isEqualTo(2);
            assertThat(err.toString()).contains(server.baseUrl().toString()).contains("no choices");
            assertThat(recordedSamples()).isZero();
            assertThat(server.received()).isLessThanOrEqualTo(4 * 2);
        }
    }

    @Test
    void answersThatAreNeverJsonStopTheRun() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withFaults(Faults.always(Faults.Kind.MALFORMED)))) {
            assertThat(run("openai-compatible/m", server.baseUrl().toString())).isEqualTo(2);
            assertThat(err.toString()).contains(server.baseUrl().toString()).contains("not JSON");
            assertThat(recordedSamples()).isZero();
            assertThat(server.received()).isLessThanOrEqualTo(4 * 3);
        }
    }

    @Test
    void theCircuitBreakerStopsARunWhoseEndpointDiedMidway() throws Exception {
        // 500 ms per answer, so the 32 answers after the eighth take 4 s: a killer thread woken late on a loaded
        // machine still closes the server long before the run could finish (at 100 ms it flaked under load).
        var server = FakeServer.start(FakeServer.Options.defaults().withLatency(Duration.ofMillis(500)));
        var killer = Thread.ofVirtual().start(() -> {
            try {
                while (server.completed() < 8) Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            server.close();
        });
        // 40 samples at 4 in flight and 500 ms: the server dies after 8 answers; the rest must not
        // each spend 10 attempts (with default backoff, minutes) before the run ends.
        int code = run("openai-compatible/m", server.baseUrl().toString(), "--model-option", "breaker_s=2");
        killer.join();
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(server.baseUrl().toString()).contains("no call has succeeded for");
        assertThat(recordedSamples()).isBetween(8L, (long) ITEMS - 1);
    }

    @Test
    void aKeyInsideTheBaseUrlIsWrittenNowhere() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults())) {
            String url = "http://user:SECRET-IN-URL@127.0.0.1:" + server.root().getPort() + "/v1";
            assertThat(run("openai-compatible/m", url)).isZero();
            assertThat(recordedSamples()).isEqualTo(ITEMS);
        }
        // A dead endpoint with a key in its URL: the error names the endpoint without the key.
        assertThat(run("openai-compatible/m", "http://user:SECRET-IN-URL@127.0.0.1:" + closedPort() + "/v1")).isEqualTo(2);
        assertThat(err.toString()).contains("http://127.0.0.1:").doesNotContain("SECRET-IN-URL");
        assertThat(out.toString()).doesNotContain("SECRET-IN-URL");
        try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                // header.json, samples.jsonl, concurrency.jsonl, results.json, index.sqlite, the cache
                String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(p.toString()).doesNotContain("SECRET-IN-URL");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertThat(Files.walk(dir.resolve("runs")).anyMatch(p -> p.getFileName().toString().equals("concurrency.jsonl"))).isTrue();
    }
}
