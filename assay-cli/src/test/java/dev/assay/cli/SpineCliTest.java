package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The run-level options of issue 10: --answer-method, capability checks, generation settings, -S, --price. */
class SpineCliTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int assay(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** Three multiple-choice items; a replay file with both option scores and completions for each. */
    Path items() throws Exception {
        Path f = dir.resolve("mine.jsonl");
        Files.writeString(f, """
                {"question": "2+2?", "options": ["4", "5"], "answer": "4"}
                {"question": "3+3?", "options": ["6", "7"], "answer": "6"}
                {"question": "1+1?", "options": ["2", "3"], "answer": "3"}
                """);
        return f;
    }

    String suite(Path f) {
        return "file:" + f + "#input=question,choices=options,target=answer";
    }

    @Test
    void loglikOnAModelThatCannotScoreExitsTwoNamingSuiteAndModel() throws Exception {
        Path f = items();
        Path replay = dir.resolve("text-only.jsonl");
        Files.writeString(replay, "{\"id\": \"mine:1\", \"completion\": \"(A)\"}\n{\"id\": \"mine:2\", \"completion\": \"(A)\"}\n"
                + "{\"id\": \"mine:3\", \"completion\": \"(B)\"}\n");
        int code = assay("run", suite(f), "--model", "replay/" + replay, "--answer-method", "loglik", "--out", dir.resolve("runs").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("suite " + suite(f) + " needs log-probabilities", "model replay/" + replay,
                "--answer-method generate");
        // auto falls back to generation as before: the run works.
        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "--out", dir.resolve("runs").toString())).isZero();
        assertThat(out.toString()).contains("methods={generative=3}");
    }

    @Test
    void answerMethodChoosesLoglikOrGenerationForTheSameItems() throws Exception {
        Path f = items();
        Path replay = dir.resolve("both.jsonl");
        // Item 3's target is "3" (B); by scores the model picks (B), by text (A).
        Files.writeString(replay, """
                {"id": "mine:1", "scores": {" (A)": -0.1, " (B)": -3.0}, "completion": "(A)"}
                {"id": "mine:2", "scores": {" (A)": -0.1, " (B)": -3.0}, "completion": "(A)"}
                {"id": "mine:3", "scores": {" (A)": -3.0, " (B)": -0.1}, "completion": "(A)"}
                """);
        String runs = dir.resolve("runs").toString();
        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "--out", runs)).isZero();
        assertThat(out.toString()).contains("methods={loglik=3}");
        out.getBuffer().setLength(0);
        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "--answer-method", "generate", "--out", runs)).isZero();
        assertThat(out.toString()).contains("methods={generative=3}");
        // Generated: (A), (A), (A) against targets A, A, B: accuracy 2/3.
        assertThat(out.toString()).containsPattern("accuracy +0\\.6667");
    }

    @Test
    void settingsAndSuiteParametersAreRecordedInTheHeaderAndBadOnesAreBadInput() throws Exception {
        Path f = items();
        Path replay = dir.resolve("both.jsonl");
        Files.writeString(replay, "{\"id\": \"mine:1\", \"completion\": \"4\"}\n{\"id\": \"mine:2\", \"completion\": \"6\"}\n{\"id\": \"mine:3\", \"completion\": \"2\"}\n");
        String runs = dir.resolve("runs").toString();
        assertThat(assay("run", "file:" + f + "#input=question,target=answer", "--model", "replay/" + replay, "--temperature", "0.5",
                "--top-p", "0.9", "--max-tokens", "7", "--system", "Be terse.", "--price", "model=1:2", "--out", runs)).isZero();
        assertThat(out.toString()).contains("usage: model calls=3 cached=0");
        Path run;
        try (var s = Files.list(dir.resolve("runs"))) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode settings = Json.MAPPER.readTree(run.resolve("header.json").toFile()).get("spec").get("settings");
        assertThat(settings.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(settings.get("topP").asDouble()).isEqualTo(0.9);
        assertThat(settings.get("maxTokens").asInt()).isEqualTo(7);
        assertThat(settings.get("system").asText()).isEqualTo("Be terse.");
        assertThat(settings.get("prices").get("model").asText()).isEqualTo("1:2");
        JsonNode call = Json.MAPPER.readTree(Files.readAllLines(run.resolve("samples.jsonl")).getFirst()).get("events").get(0);
        assertThat(call.get("type").asText()).isEqualTo("model_call");
        assertThat(call.get("request").get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(call.get("request").get("max_tokens").asInt()).isEqualTo(7);
        assertThat(call.get("prompt").asText()).startsWith("Be terse.\n\nHuman: ");

        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "-S", "nope=1", "--out", runs)).isEqualTo(2);
        assertThat(err.toString()).contains("-S nope");
        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "--answer-method", "vibes", "--out", runs)).isEqualTo(2);
        assertThat(err.toString()).contains("--answer-method vibes");
        assertThat(assay("run", suite(f), "--model", "replay/" + replay, "--price", "model=cheap", "--out", runs)).isEqualTo(2);
        assertThat(err.toString()).contains("--price model=cheap");
    }

    @Test
    void underChatFormatTheLogShowsTheMessagesReallySent() throws Exception {
        Path f = items();
        Path replay = dir.resolve("both.jsonl");
        Files.writeString(replay, "{\"id\": \"mine:1\", \"completion\": \"4\"}\n{\"id\": \"mine:2\", \"completion\": \"6\"}\n{\"id\": \"mine:3\", \"completion\": \"2\"}\n");
        assertThat(assay("run", "file:" + f + "#input=question,target=answer", "--model", "replay/" + replay, "--format", "chat",
                "--out", dir.resolve("runs").toString())).isZero();
        Path run;
        try (var s = Files.list(dir.resolve("runs"))) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode line = null;
        // Samples finish in any order: pick the first item's line.
        for (String l : Files.readAllLines(run.resolve("samples.jsonl"))) {
            JsonNode n = Json.MAPPER.readTree(l);
            if (n.get("id").asText().equals("mine:1")) line = n;
        }
        assertThat(line).isNotNull();
        // Before issue 10 this suite logged the raw Human/Assistant text whatever the format.
        JsonNode prompt = line.get("events").get(0).get("prompt");
        assertThat(prompt.get("messages").get(0).get("role").asText()).isEqualTo("user");
        assertThat(prompt.get("messages").get(0).get("content").asText()).isEqualTo("2+2?");
        assertThat(line.get("target").asText()).isEqualTo("4");
        assertThat(line.get("metadata").get("line").asInt()).isEqualTo(1);
    }

    @Test
    void listSuitesVerboseShowsParameters() {
        assertThat(assay("list", "suites", "--verbose")).isZero();
        assertThat(out.toString()).contains("-S cot_tokens=256", "-S samples=20", "answer-method=applies", "roles=judge");
    }
}
