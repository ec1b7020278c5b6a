package dev.assay.cli;

import dev.assay.store.Store;
import dev.assay.store.Stores;
import dev.assay.store.fake.PostgresCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.assay.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: the PostgreSQL writer lock with real processes. A run into a real PostgreSQL held mid-run by the
 * loopback server; a second writer is refused naming the holder; SIGKILL frees the run (the server ends the
 * dead session and its advisory lock); the resume records every sample exactly once.
 */
class PgRunLockTest {
    static final int ITEMS = 10;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SAY = Pattern.compile("Say (\\d+)");
    PostgresCluster pg = PostgresCluster.shared();
    String url = pg.url(pg.newDatabase("lock"));

    @TempDir
    Path dir;
    HttpServer server;
    final Object gate = new Object();
    volatile boolean hold = true;
    final AtomicInteger held = new AtomicInteger();

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = SAY.matcher(body);
            String n = m.find() ? m.group(1) : "?";
            if (!n.equals("?") && Integer.parseInt(n) >= 4) {
                held.incrementAndGet();
                synchronized (gate) {
                    while (hold) {
                        try {
                            gate.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                held.decrementAndGet();
            }
            String answer = ex.getRequestURI().getPath().endsWith("/chat/completions")
                    ? "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + n + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"
                    : "{\"choices\":[{\"index\":0,\"text\":\"" + n + "\",\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release();
        server.stop(0);
    }

    void release() {
        synchronized (gate) {
            hold = false;
            gate.notifyAll();
        }
    }


    Process start(String name, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(AssayProcess.command(args));
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSAY_") && !k.equals("ASSAY_CACHE") || k.startsWith("PG"));
        pb.environment().putAll(pg.env());
        pb.redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        return pb.start();
    }

    Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>(pg.env());
        env.put("HOME", dir.toString());
        return env;
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndAKilledHolderFreesTheRun() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= ITEMS; i++) sb.append("{\"input\": \"Say ").append(i).append("\", \"target\": \"").append(i).append("\"}\n");
        Path items = Files.writeString(dir.resolve("items.jsonl"), sb.toString());
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        Process a = start("a", "run", "file:" + items + "#target=target", "--model", "openai-compatible/m", "--model-base-url", base,
                "--concurrency", "1", "--no-cache", "--store", url);
        String id = null;
        try (Store store = Stores.open("--store", url, env())) {
            for (int i = 0; i < 600 && id == null; i++) {
                assertThat(a.isAlive()).as("the first process is still running").isTrue();
                if (held.get() > 0 && !store.runs().isEmpty()) {
                    String candidate = store.runs().getFirst().id();
                    if (store.find(candidate).recordCount() >= 3) id = candidate;
                }
                if (id == null) Thread.sleep(100);
            }
            assertThat(id).as("the first process got mid-run").isNotNull();
            String run = id;
            assertThat(store.find(id).writer()).hasValueSatisfying(w -> assertThat(w).startsWith(a.pid() + "@"));

            Process b = start("b", "run", "--resume", id, "--store", url);
            var br = AssayProcess.finish(dir, "b", b);
            assertThat(br.code()).as(br.err()).isEqualTo(ExitCode.BAD_INPUT.code());
            assertThat(br.err()).contains("in use by process " + a.pid() + "@", id);

            a.destroyForcibly().waitFor();
            // The server notices the dead session (its socket closed) and drops the lock with it.
            for (int i = 0; i < 100 && store.find(id).writer().isPresent(); i++) Thread.sleep(100);
            assertThat(store.find(id).writer()).isEmpty();
            var list = AssayProcess.finish(dir, "list", start("list", "list", "runs", "--store", url));
            String row = list.out().lines().filter(l -> l.startsWith(run)).findFirst().orElseThrow();
            assertThat(row).as(list.out()).contains("interrupted").contains(" 3/" + ITEMS);

            release();
            var cr = AssayProcess.finish(dir, "c", start("c", "run", "--resume", id, "--store", url));
            assertThat(cr.code()).as(cr.err()).isZero();
            assertThat(cr.out()).contains("accuracy", "1.0000");
            Set<String> ids = new HashSet<>();
            store.find(id).eachRecordJson(line -> {
                try {
                    assertThat(ids.add(JSON.readTree(line).path("id").asText())).as("duplicate").isTrue();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(ids).hasSize(ITEMS);
            assertThat(list.out() + br.err() + cr.out() + cr.err()).doesNotContain(pg.password());
        }
    }
}
