package dev.assay.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent loop through the real CLI: a file: suite with --environment runs each item as an agent episode
 * in a real bwrap sandbox per (sample, epoch); the replay provider answers each turn (keyed by step
 * agent.1, agent.2, …) in the text protocol, so the whole path is real but the model's words.
 */
class AgentRunTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int assay(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    Path tasks() throws Exception {
        Path fixture = Files.createDirectories(dir.resolve("fixture"));
        Files.writeString(fixture.resolve("answer.txt"), "42");
        Path f = dir.resolve("tasks.jsonl");
        Files.writeString(f, """
                {"id": "read", "task": "What number is in answer.txt?", "answer": "42"}
                {"id": "write", "task": "Write 7 into seven.txt and tell me what it holds.", "answer": "7"}
                {"id": "wrong", "task": "What number is in answer.txt?", "answer": "42"}
                """);
        return f;
    }

    Path replay() throws Exception {
        Path r = dir.resolve("answers.jsonl");
        Files.writeString(r, """
                {"id": "read", "step": "agent.1", "completion": "Let me look. <bash>cat answer.txt</bash>"}
                {"id": "read", "step": "agent.2", "completion": "The number is 42."}
                {"id": "write", "step": "agent.1", "completion": "<bash>echo 7 > seven.txt; cat seven.txt</bash>"}
                {"id": "write", "step": "agent.2", "completion": "seven.txt holds 7"}
                {"id": "wrong", "step": "agent.1", "completion": "<bash>rm answer.txt</bash>"}
                {"id": "wrong", "step": "agent.2", "completion": "<bash>ls</bash>"}
                {"id": "wrong", "step": "agent.3", "completion": "<bash>ls</bash>"}
                """);
        return r;
    }

    static Path onlyRun(Path runs) throws Exception {
        try (var s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    static Map<String, JsonNode> records(Path run) throws Exception {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (String line : Files.readAllLines(run.resolve("samples.jsonl"))) {
            JsonNode n = Json.MAPPER.readTree(line);
            byId.put(n.get("id").asText(), n);
        }
        return byId;
    }

    static List<String> types(JsonNode record) {
        List<String> t = new ArrayList<>();
        record.get("events").forEach(e -> t.add(e.get("type").asText() + (e.has("step") ? "@" + e.get("step").asText() : "")));
        return t;
    }

    @Test
    void aFileSuiteWithAnEnvironmentRunsAgentEpisodesInSandboxes() throws Exception {
        Path f = tasks();
        String runs = dir.resolve("runs").toString();
        int code = assay("run", "file:" + f, "--field", "input=task,target=answer,id=id", "--environment", dir.resolve("fixture").toString(),
                "--model", "replay/" + replay(), "-S", "turns=3", "--out", runs);
        assertThat(code).as(err.toString()).isZero();
        // read and write answer right and end by themselves; wrong removes the file and is stopped at 3 turns.
        assertThat(out.toString()).containsPattern("accuracy +0\\.6667").containsPattern("completed +0\\.6667");

        Path run = onlyRun(Path.of(runs));
        Map<String, JsonNode> rec = records(run);
        JsonNode read = rec.get("read");
        assertThat(types(read)).containsExactly("model_call@agent.1", "tool_call@agent.1", "tool_result@agent.1",
                "model_call@agent.2", "sandbox_snapshot@agent", "note@agent");
        JsonNode events = read.get("events");
        assertThat(events.get(1).get("arguments").get("command").asText()).isEqualTo("cat answer.txt");
        assertThat(events.get(2).get("output").asText()).isEqualTo("42");
        assertThat(events.get(2).get("exitCode").asInt()).isZero();
        assertThat(events.get(2).get("stop").isNull()).isTrue();
        assertThat(events.get(2).get("isError").asBoolean()).isFalse();
        // The second call's prompt held the result in the text protocol's framing.
        assertThat(events.get(3).toString()).contains("<stdout>\\n42\\n</stdout>");
        assertThat(events.get(4).get("snapshot").get("changes")).isEmpty();
        assertThat(events.get(5).get("data").get("stop").asText()).isEqualTo("no tool calls");
        assertThat(read.get("scores").get("accuracy").asDouble()).isEqualTo(1.0);

        JsonNode wrote = rec.get("write").get("events");
        JsonNode snap = wrote.get(4).get("snapshot").get("changes");
        assertThat(snap).hasSize(1);
        assertThat(snap.get(0).get("path").asText()).isEqualTo("seven.txt");
        assertThat(snap.get(0).get("change").asText()).isEqualTo("ADDED");
        assertThat(snap.get(0).get("text").asText()).isEqualTo("7\n");

        JsonNode wrong = rec.get("wrong");
        assertThat(wrong.get("output").get("agent_stop").asText()).isEqualTo("turns");
        assertThat(wrong.get("output").get("agent_turns").asInt()).isEqualTo(3);
        assertThat(wrong.get("scores").get("completed").asDouble()).isZero();
        JsonNode removed = null;
        for (JsonNode e : wrong.get("events")) if (e.get("type").asText().equals("sandbox_snapshot")) removed = e.get("snapshot").get("changes");
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).get("path").asText()).isEqualTo("answer.txt");
        assertThat(removed.get(0).get("change").asText()).isEqualTo("REMOVED");
        // Each episode had its own tree: the fixture itself is untouched.
        assertThat(Files.readString(dir.resolve("fixture/answer.txt"))).isEqualTo("42");

        // Re-scoring reads the log: the same scores without any model or sandbox.
        out.getBuffer().setLength(0);
        assertThat(assay("score", run.toString(), "--out", runs)).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("accuracy +0\\.6667").containsPattern("completed +0\\.6667");
    }

    /** A model call that fails part-way: the sample records the error, and the tree so far is still logged. */
    @Test
    void aFailedModelCallMidEpisodeStillLogsTheToolsAndTheTree() throws Exception {
        Path fixture = Files.createDirectories(dir.resolve("fixture"));
        Files.writeString(fixture.resolve("answer.txt"), "42");
        Path f = dir.resolve("one.jsonl");
        Files.writeString(f, "{\"id\": \"half\", \"task\": \"Make notes.\", \"answer\": \"done\"}\n");
        Path r = dir.resolve("half.jsonl");
        // No answer recorded for step agent.2: the replay model fails that call.
        Files.writeString(r, "{\"id\": \"half\", \"step\": \"agent.1\", \"completion\": \"<bash>echo x > notes.txt</bash>\"}\n");
        String runs = dir.resolve("runs").toString();
        assertThat(assay("run", "file:" + f, "--field", "input=task,target=answer,id=id", "--environment", fixture.toString(),
                "--model", "replay/" + r, "--out", runs)).isEqualTo(dev.assay.ExitCode.SAMPLE_ERRORS.code()); // its one sample errored
        JsonNode rec = records(onlyRun(Path.of(runs))).get("half");
        assertThat(rec.get("error").asText()).contains("has no completion for sample half step agent.2");
        assertThat(types(rec)).containsExactly("model_call@agent.1", "tool_call@agent.1", "tool_result@agent.1",
                "model_call@agent.2", "sandbox_snapshot@agent");
        assertThat(rec.get("events").get(4).get("snapshot").get("changes").get(0).get("path").asText()).isEqualTo("notes.txt");
    }

    @Test
    void aSandboxThatCannotRunHereIsBadInputBeforeAnyCall() throws Exception {
        Path f = tasks();
        Path runs = dir.resolve("runs");
        int code = assay("run", "file:" + f + "#input=task,target=answer,id=id,environment=fixture,sandbox=missing",
                "--model", "replay/" + replay(), "--out", runs.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(MissingSandboxProvider.MESSAGE);
        // No run was started: nothing was called.
        assertThat(!Files.exists(runs) || Files.list(runs).noneMatch(Files::isDirectory)).isTrue();
    }

    @Test
    void aMissingEnvironmentDirectoryIsBadInput() throws Exception {
        Path f = tasks();
        int code = assay("run", "file:" + f + "#input=task,target=answer,environment=nowhere", "--model", "replay/" + replay(),
                "--out", dir.resolve("runs").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("environment=nowhere is not a directory");
    }
}
