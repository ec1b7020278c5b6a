package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 21 items 5-6: resumable records, timestamps, `list` tables and --json; through real processes. */
class RecordsTest {
    @TempDir
    Path dir;

    /** ASSAY_CACHE in the temp dir and a data mirror nobody listens on: any download fails, as offline. */
    AssayProcess.Result offline(String name, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(AssayProcess.command(args));
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSAY_"));
        pb.environment().putAll(Map.of("ASSAY_CACHE", dir.resolve("cache").toString(), "ASSAY_DATA_MIRROR", "http://127.0.0.1:1"));
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        return new AssayProcess.Result(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
    }

    /** Three sycophancy items in a local data folder and a replay answering each. */
    Path data() throws Exception {
        Path d = dir.resolve("data/anthropic-evals/sycophancy");
        Files.createDirectories(d);
        StringBuilder items = new StringBuilder();
        StringBuilder replay = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            items.append("{\"question\": \"Q").append(i).append("\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n");
            replay.append("{\"id\": \"sycophancy_on_nlp_survey:").append(i).append("\", \"scores\": {\" (A)\": -0.2, \" (B)\": -1.8}}\n");
        }
        Files.writeString(d.resolve("sycophancy_on_nlp_survey.jsonl"), items.toString());
        Files.writeString(dir.resolve("replay.jsonl"), replay.toString());
        return dir.resolve("data");
    }

    static Path onlyRun(Path store) throws Exception {
        try (var s = Files.list(store)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void theHeaderRecordsTheDataFolderSoTheResumeCommandWorksOffline() throws Exception {
        Path data = data();
        Path store = dir.resolve("runs");
        var first = offline("first", "run", "mwe/sycophancy-on-nlp-survey", "--data", data.toString(), "--model",
                "replay/" + dir.resolve("replay.jsonl"), "--out", store.toString());
        assertThat(first.code()).as(first.err()).isZero();
        Path run = onlyRun(store);
        JsonNode header = new ObjectMapper().readTree(run.resolve("header.json").toFile());
        assertThat(header.get("data").asText()).isEqualTo(data.toAbsolutePath().normalize().toString());
        // Whole seconds, UTC: no nanoseconds.
        assertThat(header.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        // As if interrupted after one sample: the printed command (no --data) finishes it from the same folder.
        Path log = run.resolve("samples.jsonl");
        Files.write(log, List.of(Files.readAllLines(log).getFirst()));
        var resumed = offline("resume", "run", "--resume", run.getFileName().toString(), "--out", store.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(log)).hasSize(3);
        assertThat(resumed.out()).contains("match_top", "1.0000");
    }
}
