package dev.assay.cli;

import dev.assay.store.Store;
import dev.assay.store.Stores;
import dev.assay.store.fake.PostgresCluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: the PostgreSQL writer lock with real processes. A run into a real PostgreSQL held mid-run by the
 * loopback server; a second writer is refused naming the holder; SIGKILL frees the run (the server ends the
 * dead session and its advisory lock); the resume records every sample exactly once.
 */
class PgRunLockTest {
    static final int ITEMS = 10;
    static final ObjectMapper JSON = new ObjectMapper();
    PostgresCluster pg = PostgresCluster.shared();
    String url = pg.url(pg.newDatabase("lock"));

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
        String base = server.baseUrl();
        Process a = start("a", "run", "file:" + items + "#target=target", "--model", "openai-compatible/m", "--model-base-url", base,
                "--concurrency", "1", "--no-cache", "--store", url);
        String id = null;
        try (Store store = Stores.open("--store", url, env())) {
            for (int i = 0; i < 600 && id == null; i++) {
                assertThat(a.isAlive()).as("the first process is still running").isTrue();
                if (server.held() > 0 && !store.runs().isEmpty()) {
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

            server.release();
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
