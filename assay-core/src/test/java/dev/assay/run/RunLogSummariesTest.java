package dev.assay.run;

import dev.assay.event.ModelCall;
import dev.assay.event.Note;
import dev.assay.event.Origin;
import dev.assay.event.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunLogSummariesTest {

    static SampleRecord record(String id, String bigText) {
        var call = new ModelCall("model", "agent.1", Origin.SOLVER, "generate", "m", bigText, Map.of("max_tokens", 5),
                Map.of("text", bigText), 100, 7, 12, false, null);
        var score = new ModelCall("model", "answer", Origin.SOLVER, "score", "m", bigText, Map.of(), Map.of("logprobs", List.of(-0.5, -2.0)),
                3, 0, 4, true, null);
        var tool = new ToolResult("agent.1", "c1", "bash", bigText, "", 0, false, null, 3);
        return new SampleRecord("s", id, 1, 7, "generative", null, Map.of("group", "g"), List.of(call, score, tool, new Note("x", bigText, Map.of())),
                Map.of("agent_text", bigText), Map.of("gamed", 0.0), null, 5);
    }

    @Test
    void summariesKeepWhatResultsAndUsageReadAndDropTheRest(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("samples.jsonl");
        String big = "x".repeat(20_000);
        try (RunLog log = RunLog.open(file)) {
            for (int i = 0; i < 50; i++) log.append(record("e" + i, big));
        }
        Files.writeString(file, "{\"suite\": \"s\", \"id\": \"torn", StandardOpenOption.APPEND); // a torn last line
        Map<String, SampleRecord> full = RunLog.read(file), lean = RunLog.readSummaries(file);
        assertThat(lean.keySet()).containsExactlyElementsOf(full.keySet()).hasSize(50);
        SampleRecord r = lean.get(SampleRecord.key("s", "e3", 1));
        assertThat(r.scores()).isEqualTo(Map.of("gamed", 0.0));
        assertThat(r.metadata()).isEqualTo(Map.of("group", "g"));
        assertThat(r.events()).hasSize(2).allMatch(e -> e instanceof ModelCall);
        ModelCall gen = r.modelCalls().get(0), sc = r.modelCalls().get(1);
        assertThat(gen.prompt()).isNull();
        assertThat(gen.response()).isEmpty();
        assertThat(gen.promptTokens()).isEqualTo(100);
        assertThat(gen.completionTokens()).isEqualTo(7);
        assertThat(sc.cached()).isTrue();
        assertThat(sc.response()).containsEntry("logprobs", List.of(-0.5, -2.0));
        // Usage and distributions computed from summaries equal those computed from the whole records.
        assertThat(Usage.of(lean.values(), Map.of(), Map.of(), Map.of())).isEqualTo(Usage.of(full.values(), Map.of(), Map.of(), Map.of()));
        // And a summary is small: the 20 KB texts are gone.
        assertThat(Json.MAPPER.writeValueAsString(r).length()).isLessThan(1_500);
    }
}
