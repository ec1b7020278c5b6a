package dev.assay.http;

import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.Prompt;
import dev.assay.http.fake.FakeServer;
import dev.assay.http.fake.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchTest {
    static final Map<String, String> FAST_BATCH = Map.of("batch", "true", "batch_window_ms", "300", "batch_poll_ms", "50");

    static GenerateRequest request(int i) {
        return GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("Item " + i)), ""), 8, List.of(), null);
    }

    static List<String> generateAll(Model model, int n) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<String>>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> model.generate(request(k)).text()));
            }
            var out = new ArrayList<String>();
            for (var f : futures) out.add(f.get());
            return out;
        }
    }

    @Test
    void concurrentCallsAreGatheredIntoOneOpenAiJob(@TempDir Path dir) throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults()
                .withFaults(new Faults(0.1, 7, java.util.Set.of(Faults.Kind.UNAVAILABLE, Faults.Kind.RESET), Duration.ZERO, 0)))) {
            List<String> direct;
            try (var model = OpenAiModelTest.compatible(server, dir.resolve("direct"), Map.of())) {
                direct = generateAll(model, 200);
            }
            long before = server.completed();
            // A 3 s window: 200 callers on a loaded machine can take longer than FAST_BATCH's 300 ms to queue up,
            // and the test is that concurrent calls share one job, not how fast threads start.
            var gathering = new java.util.HashMap<>(FAST_BATCH);
            gathering.put("batch_window_ms", "3000");
            try (var model = OpenAiModelTest.compatible(server, dir.resolve("batch"), gathering)) {
                assertThat(generateAll(model, 200)).isEqualTo(direct);
            }
            assertThat(server.jobsCreated()).isEqualTo(1);
            assertThat(server.completed() - before).isEqualTo(200);
            assertThat(Files.readAllLines(dir.resolve("batch").resolve(BatchQueue.STATE_FILE))).hasSize(1);
        }
    }

    @Test
    void aPendingJobIsCollectedAfterReopeningNotResubmitted(@TempDir Path dir) throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withBatchDelay(Duration.ofMillis(1500)))) {
            var first = OpenAiModelTest.compatible(server, dir, FAST_BATCH);
            var pool = Executors.newVirtualThreadPerTaskExecutor();
            var futures = new ArrayList<Future<String>>();
            for (int i = 0; i < 20; i++) {
                int k = i;
                futures.add(pool.submit(() -> first.generate(request(k)).text()));
            }
            // Wait until the job is submitted and recorded, then "die" while it is pending.
            long deadline = System.currentTimeMillis() + 5000;
            while (server.jobsCreated() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            Thread.sleep(100);
            first.close();
            for (var f : futures) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(ModelCallException.class);
            }
            pool.close();
            assertThat(server.jobsCreated()).isEqualTo(1);
            assertThat(server.completed()).isZero();

            try (var again = OpenAiModelTest.compatible(server, dir, FAST_BATCH)) {
                var texts = generateAll(again, 20);
                assertThat(texts).doesNotContainNull().allSatisfy(t -> assertThat(t).isNotBlank());
            }
            assertThat(server.jobsCreated()).isEqualTo(1);
            assertThat(server.completed()).isEqualTo(20);
            assertThat(server.maxCompletionsOfOneRequest()).isEqualTo(1);
        }
    }

    @Test
    void anthropicMessageBatches(@TempDir Path dir) throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("ak-1"))) {
            List<String> direct;
            try (var model = AnthropicModelTest.model(server, dir.resolve("d"), Map.of())) {
                direct = generateAll(model, 50);
            }
            try (var model = AnthropicModelTest.model(server, dir.resolve("b"), FAST_BATCH)) {
                assertThat(generateAll(model, 50)).isEqualTo(direct);
            }
            assertThat(server.jobsCreated()).isEqualTo(1);
        }
    }
}
