package dev.assay.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunLogTest {
    @TempDir
    Path dir;

    static SampleRecord rec(String id, String error) {
        return new SampleRecord("s", id, 1, 7, "loglik", " Yes", Map.of("group", "g"), List.of(), Map.of("probs", List.of(0.25, 0.75)),
                error == null ? Map.of("x", 0.25) : Map.of(), error, 3);
    }

    @Test
    void roundTripsRecordsAndCutsATornLastLineBeforeAppending() throws Exception {
        Path f = dir.resolve("samples.jsonl");
        try (RunLog log = RunLog.open(f)) {
            log.append(rec("a", null));
            log.append(rec("b", null));
        }
        Files.writeString(f, Files.readString(f) + "{\"suite\":\"s\",\"id\":\"c\",\"ep", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        assertThat(RunLog.read(f)).hasSize(2);
        try (RunLog log = RunLog.open(f)) {
            log.append(rec("c", null));
        }
        Map<String, SampleRecord> read = RunLog.read(f);
        assertThat(read.keySet()).containsExactly(SampleRecord.key("s", "a", 1), SampleRecord.key("s", "b", 1), SampleRecord.key("s", "c", 1));
        assertThat(read.get(SampleRecord.key("s", "a", 1))).isEqualTo(rec("a", null));
        assertThat(Files.readAllLines(f)).hasSize(3);
    }

    @Test
    void aLaterRecordOfTheSameSampleWins() {
        Path f = dir.resolve("samples.jsonl");
        try (RunLog log = RunLog.open(f)) {
            log.append(rec("a", "ModelCallException: boom"));
            log.append(rec("a", null));
        }
        assertThat(RunLog.read(f).get(SampleRecord.key("s", "a", 1)).ok()).isTrue();
    }
}
