package dev.assay.http;

import dev.assay.http.fake.FakeServer;
import dev.assay.http.fake.Faults;
import dev.assay.model.CallTag;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 4 at the provider's defaults (no timeout given: adaptive timeout and hedging): stalls
 * that never answer cost a hedge, not the 120 s cap, and no sample is lost or answered twice.
 */
class StallTest {
    static final int SAMPLES = 2_000;

    static Map<String, String> run(FakeServer server, Path dir, Map<String, String> extra) throws Exception {
        var answers = new ConcurrentHashMap<String, String>();
        try (var model = OpenAiModelTest.compatible(server, dir, extra);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < SAMPLES; i++) {
                String id = "s" + i;
                Prompt prompt = new Prompt.Chat(List.of(Message.user("Question " + i)), "");
                futures.add(pool.submit(() -> {
                    var g = model.generate(GenerateRequest.greedy(prompt, 8, List.of(), new CallTag(id, 0, "answer")));
                    if (answers.putIfAbsent(id, g.text()) != null) throw new IllegalStateException("answered twice: " + id);
                }));
            }
            for (var f : futures) f.get();
        }
        return answers;
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS) // under a fixed 120 s timeout the first stall alone outlasts this
    void stallsThatNeverAnswerAreHedgedAtTheDefaults(@TempDir Path dir) throws Exception {
        Map<String, String> clean;
        try (var server = FakeServer.start(FakeServer.Options.defaults())) {
            clean = run(server, dir.resolve("clean"), Map.of());
        }
        // 10% of requests stall for 10 minutes, 10% are 500s.
        var faults = new Faults(0.2, 7, EnumSet.of(Faults.Kind.TIMEOUT, Faults.Kind.SERVER_ERROR), Duration.ofMinutes(10), 0);
        try (var server = FakeServer.start(FakeServer.Options.defaults().withFaults(faults))) {
            var faulty = run(server, dir.resolve("faulty"), Map.of());
            assertThat(faulty).hasSize(SAMPLES).isEqualTo(clean);
            assertThat(server.faultsInjected()).isGreaterThan(SAMPLES / 10);
            assertThat(server.completed()).isGreaterThanOrEqualTo(SAMPLES);
        }
    }
}
