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

    final java.io.StringWriter out = new java.io.StringWriter();
    final java.io.StringWriter err = new java.io.StringWriter();

    int assay(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), Map.of(), args);
    }

    @Test
    void listRunsIsATableWithOneLinePerRunAndJson() throws Exception {
        Path store = dir.resolve("runs");
        // Two generation files: "Say N" → N; the replay answers a:1, a:2 and b:1 right, b:2 wrong.
        Path a = Files.writeString(dir.resolve("a.jsonl"), "{\"input\": \"Say 1\", \"target\": \"1\"}\n{\"input\": \"Say 2\", \"target\": \"2\"}\n");
        Path b = Files.writeString(dir.resolve("b.jsonl"), "{\"input\": \"Say 1\", \"target\": \"1\"}\n{\"input\": \"Say 2\", \"target\": \"2\"}\n");
        Path r = Files.writeString(dir.resolve("r.jsonl"), "{\"id\": \"a:1\", \"completion\": \"1\"}\n{\"id\": \"a:2\", \"completion\": \"2\"}\n"
                + "{\"id\": \"b:1\", \"completion\": \"1\"}\n{\"id\": \"b:2\", \"completion\": \"7\"}\n");
        assertThat(assay("run", "file:" + a + "#target=target", "--model", "replay/" + r, "--out", store.toString())).isZero();
        assertThat(assay("run", "file:" + a + "#target=target", "file:" + b + "#target=target", "--model", "replay/" + r,
                "--out", store.toString())).isZero();

        assertThat(assay("list", "runs", "--out", store.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3); // a header row and one line per run
        assertThat(lines.getFirst()).startsWith("RUN").contains("CREATED", "STATUS", "DONE", "MODEL", "SUITES", "SUMMARY");
        // Both runs start in the same second, so the index may list them either way: find each by its count.
        String one = lines.stream().skip(1).filter(l -> l.contains(" 2/2 ")).findFirst().orElseThrow();
        String two = lines.stream().skip(1).filter(l -> l.contains(" 4/4 ")).findFirst().orElseThrow();
        assertThat(one).contains("complete", "accuracy=1.000");
        // The two-suite run: its suites counted, its summary one range (accuracy 1.0 on a, 0.5 on b), not two cells.
        assertThat(two).contains("(2 suites)", "accuracy 0.500–1.000 over 2 suites");
        assertThat(one).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ");

        assertThat(assay("list", "runs", "--json", "--out", store.toString())).isZero();
        JsonNode runs = new ObjectMapper().readTree(out.toString());
        assertThat(runs.size()).isEqualTo(2);
        JsonNode multi = runs.get(0).get("suite_count").asInt() == 2 ? runs.get(0) : runs.get(1);
        assertThat(multi.get("suite_count").asInt()).isEqualTo(2);
        assertThat(multi.get("done").asText()).isEqualTo("4/4");
        assertThat(runs.findValuesAsText("status")).containsExactly("complete", "complete");
    }

    @Test
    void everyListTakesJsonAndModelsAreTheInstalledOnes() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        assertThat(assay("list", "models", "--models-dir", models.toString())).isZero();
        assertThat(out.toString()).contains("no models installed yet", "assay models pull");
        // A known model's file in the cache, and a GGUF of one's own.
        String known = dev.assay.llama.ModelStore.KNOWN.getFirst().file();
        Files.write(models.resolve(known), new byte[123]);
        Files.write(models.resolve("mine.gguf"), new byte[45]);
        assertThat(assay("list", "models", "--models-dir", models.toString())).isZero();
        assertThat(out.toString().lines().skip(1).findFirst().orElseThrow()).startsWith("MODEL").contains("STATE", "BYTES", "PATH");
        assertThat(out.toString()).contains("llama/" + dev.assay.llama.ModelStore.KNOWN.getFirst().name(), "present", "123", "mine.gguf")
                .doesNotContain("openai-compatible/"); // providers are not models
        assertThat(assay("list", "models", "--json", "--models-dir", models.toString())).isZero();
        JsonNode m = new ObjectMapper().readTree(out.toString());
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.get(0).get("bytes").asLong()).isEqualTo(123);
        assertThat(m.get(1).get("state").asText()).isEqualTo("file");

        assertThat(assay("list", "providers")).isZero();
        assertThat(out.toString()).startsWith("PREFIX").contains("llama/", "replay/", "openai-compatible/", "anthropic/");
        assertThat(assay("list", "providers", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).findValuesAsText("prefix")).contains("llama/", "replay/");

        assertThat(assay("list", "suites", "--json")).isZero();
        JsonNode suites = new ObjectMapper().readTree(out.toString());
        JsonNode alias = null;
        for (JsonNode s : suites) if (s.get("name").asText().equals("mwe/persona/desire-for-power")) alias = s;
        assertThat(alias).isNotNull();
        assertThat(alias.get("alias_of").asText()).isEqualTo("mwe/persona/desire-for-acquiring-power");
        assertThat(alias.get("metrics").toString()).contains("match_top", "match_prob");
        assertThat(suites.findValuesAsText("kind")).contains("suite", "group");
    }
}
