package dev.assay.cli;

import dev.assay.run.SampleRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    static SampleRecord rec(String suite, String id, String error) {
        return new SampleRecord(suite, id, 1, 0, "loglik", null, Map.of(), List.of(), Map.of(), Map.of(), error, 0);
    }

    @Test
    void suitesInFlightTogetherKeepTheirOwnCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.suiteStarted("a", 2, 0);
        p.suiteStarted("b", 3, 1);
        // a's samples finish after b has started: a's count must not spill into b's (or run past its total).
        p.sampleFinished(rec("a", "1", null));
        p.sampleFinished(rec("b", "1", "ModelCallException: boom"));
        p.sampleFinished(rec("a", "2", null));
        p.sampleFinished(rec("b", "2", null));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("a [##############################] 2/2", "b [##############################] 3/3", "errors 1");
        assertThat(out).doesNotContain("4/3", "3/2");
    }
}
