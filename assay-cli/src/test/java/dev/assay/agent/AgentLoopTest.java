package dev.assay.agent;

import dev.assay.http.fake.FakeServer;
import dev.assay.http.fake.ToolTurn;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.Models;
import dev.assay.model.ToolCall;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.FileChange;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import dev.assay.sandbox.Snapshot;
import dev.assay.sandbox.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent loop with native tool calls on both wire formats (the loopback fake server, which checks every
 * turn as the real APIs do) acting in a real bubblewrap sandbox.
 */
class AgentLoopTest {
    static final String TASK = "What is in answer.txt?";
    static final List<Message> START = List.of(Message.system("You are in a sandbox."), Message.user(TASK));

    @TempDir
    Path dir;

    Path fixture() throws Exception {
        Path f = Files.createDirectories(dir.resolve("fixture"));
        Files.writeString(f.resolve("answer.txt"), "42");
        return f;
    }

    static Model openAiCompatible(FakeServer server, Path work) {
        return Models.open("openai-compatible/fake-1", new ModelOptions(List.of(server.baseUrl().toString()), null, work,
                Map.of("max_attempts", "2", "timeout", "10")));
    }

    /** Anthropic needs a key: the server wants the value of a variable every environment has. */
    static Model anthropic(FakeServer server, Path work) {
        return Models.open("anthropic/claude-fake", new ModelOptions(List.of(server.root().toString()), null, work,
                Map.of("max_attempts", "2", "timeout", "10", "api_key_env", "PATH")));
    }

    static FakeServer anthropicServer() {
        return FakeServer.start(FakeServer.Options.defaults().withApiKey(System.getenv("PATH")));
    }

    /** Everything the loop reported, in order, as short lines. */
    static final class Heard implements AgentListener {
        final List<String> lines = new ArrayList<>();
        final List<Generation> generations = new ArrayList<>();
        final List<GenerateRequest> requests = new ArrayList<>();
        final List<ExecResult> execs = new ArrayList<>();
        Snapshot snapshot;

        @Override
        public void modelCall(int turn, GenerateRequest request, Generation generation, long millis) {
            lines.add("model " + turn + " " + request.tag().step());
            requests.add(request);
            generations.add(generation);
        }

        @Override
        public void toolCall(int turn, ToolCall call) {
            lines.add("call " + turn + " " + call.name() + " " + call.arguments());
        }

        @Override
        public void toolResult(int turn, ToolCall call, Message.ToolResult result, ExecResult exec, long millis) {
            lines.add("result " + turn + " " + result.callId().equals(call.id()) + " " + result.error());
            execs.add(exec);
        }

        @Override
        public void snapshot(Snapshot s) {
            lines.add("snapshot");
            snapshot = s;
        }

        @Override
        public void stopped(AgentStop stop, int turns) {
            lines.add("stopped " + stop + " " + turns);
        }
    }

    AgentResult run(Model model, AgentLimits limits, Heard heard, Limits sandboxLimits) throws Exception {
        try (Sandbox box = SandboxProvider.named("bwrap").open(fixture(), sandboxLimits)) {
            return AgentLoop.of(limits, 64, null).run(model, box, START, heard);
        }
    }

    AgentResult run(Model model, AgentLimits limits, Heard heard) throws Exception {
        return run(model, limits, heard, Limits.DEFAULT);
    }

    /** One shell call reads the fixture, a second writes a file; the answer quotes what the sandbox printed. */
    void readsTheFixtureAndAnswers(Model model, FakeServer server) throws Exception {
        server.scriptTools(TASK, ToolTurn.call("bash", "{\"command\":\"cat answer.txt\"}"),
                ToolTurn.call("bash", "{\"command\":\"echo done > out.txt; echo wrote\"}"),
                ToolTurn.answer("It says {result}."));
        // The last result received is "wrote\n"; the first one, "42", is checked in the transcript.
        var heard = new Heard();
        AgentResult r = run(model, AgentLimits.DEFAULT, heard);

        assertThat(r.stop()).isEqualTo(AgentStop.NO_TOOL_CALLS);
        assertThat(r.stop().wire()).isEqualTo("no tool calls");
        assertThat(r.turns()).isEqualTo(3);
        List<Message> c = r.conversation();
        assertThat(c).hasSize(7);
        assertThat(c.subList(0, 2)).isEqualTo(START);
        var first = (Message.AssistantTurn) c.get(2);
        assertThat(first.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("bash");
            assertThat(call.argument("command")).isEqualTo("cat answer.txt");
        });
        var read = (Message.ToolResult) c.get(3);
        assertThat(read.callId()).isEqualTo(first.toolCalls().getFirst().id());
        assertThat(read.content()).isEqualTo("42");
        assertThat(read.stderr()).isEmpty();
        assertThat(read.error()).isFalse();
        assertThat(((Message.ToolResult) c.get(5)).content()).isEqualTo("wrote\n");
        assertThat(c.get(6)).isEqualTo(Message.assistant("It says wrote\n."));
        assertThat(r.finalText()).isEqualTo("It says wrote\n.");
        assertThat(r.outputBytes()).isEqualTo(2 + 6);
        assertThat(r.tokens()).isPositive();

        // The tree: out.txt was added, answer.txt untouched.
        assertThat(r.snapshot().changes()).singleElement().satisfies(ch -> {
            assertThat(ch.path()).isEqualTo("out.txt");
            assertThat(ch.change()).isEqualTo(FileChange.Change.ADDED);
            assertThat(ch.text()).isEqualTo("done\n");
        });
        assertThat(r.snapshot().unchangedFiles()).isEqualTo(1);
        assertThat(heard.snapshot).isEqualTo(r.snapshot());

        assertThat(heard.lines).containsExactly(
                "model 1 agent.1", "call 1 bash {\"command\":\"cat answer.txt\"}", "result 1 true false",
                "model 2 agent.2", "call 2 bash {\"command\":\"echo done > out.txt; echo wrote\"}", "result 2 true false",
                "model 3 agent.3", "snapshot", "stopped no tool calls 3");
        assertThat(heard.execs).allSatisfy(e -> assertThat(e.ok()).isTrue());
        assertThat(heard.requests).allSatisfy(q -> assertThat(q.tools()).containsExactlyElementsOf(AgentLoop.TOOLS));
        assertThat(server.toolCallsSent()).isEqualTo(2);
        assertThat(server.toolResultsReceived()).isEqualTo(1 + 2); // turn 2 resends the first result
    }

    @Test
    void openAiCompatibleNativeToolsInARealSandbox() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); Model model = openAiCompatible(server, dir)) {
            assertThat(model.capabilities().tools()).isTrue();
            readsTheFixtureAndAnswers(model, server);
        }
    }

    @Test
    void anthropicNativeToolsInARealSandbox() throws Exception {
        try (var server = anthropicServer(); Model model = anthropic(server, dir)) {
            assertThat(model.capabilities().tools()).isTrue();
            readsTheFixtureAndAnswers(model, server);
        }
    }

    /** A shell call with the wrong arguments: an error the model reads, and the episode goes on. */
    @Test
    void badArgumentsAreAnErrorTheModelSees() throws Exception {
        try (var server = anthropicServer(); Model model = anthropic(server, dir)) {
            server.scriptTools(TASK, ToolTurn.call("bash", "{\"cmd\":\"ls\"}"), ToolTurn.answer("Told: {result}"));
            var heard = new Heard();
            AgentResult r = run(model, AgentLimits.DEFAULT, heard);
            assertThat(r.stop()).isEqualTo(AgentStop.NO_TOOL_CALLS);
            Message.ToolResult result = r.toolResults().getFirst();
            assertThat(result.error()).isTrue();
            assertThat(result.stderr()).isEqualTo("the bash tool takes one string argument, \"command\"; got {\"cmd\":\"ls\"}");
            // The server got the error back as the result of its call.
            assertThat(r.finalText()).isEqualTo("Told: " + result.stderr());
            assertThat(heard.execs).containsOnlyNulls();
            assertThat(r.snapshot().changes()).isEmpty();
        }
    }

    /**
     * A tool that was never offered (the fake server refuses to script one, as real APIs mostly do, but
     * models still invent them): a model written here calls "python", then bash, then answers.
     */
    @Test
    void anUnknownToolIsAnErrorTheModelSees() throws Exception {
        var seen = new ArrayList<List<Message>>();
        Model inventive = new Model() {
            @Override
            public String spec() { return "test/inventive"; }

            @Override
            public dev.assay.model.Capabilities capabilities() {
                return new dev.assay.model.Capabilities(false, true, false, false, true, 0, 0, 0);
            }

            @Override
            public Generation generate(GenerateRequest request) {
                var messages = ((dev.assay.model.Prompt.Chat) request.prompt()).messages();
                seen.add(messages);
                List<ToolCall> calls = switch (seen.size()) {
                    case 1 -> List.of(new ToolCall("c1", "python", "{\"code\":\"print(1)\"}"),
                            new ToolCall("c2", "bash", "{\"command\":\"cat answer.txt\"}"));
                    default -> List.of();
                };
                return new Generation(List.of(new Generation.Completion(calls.isEmpty() ? "done" : "", "stop", List.of(), calls)), 10, 5);
            }

            @Override
            public List<dev.assay.model.ContinuationScore> score(dev.assay.model.ScoreRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        var heard = new Heard();
        AgentResult r = run(inventive, AgentLimits.DEFAULT, heard);
        assertThat(r.stop()).isEqualTo(AgentStop.NO_TOOL_CALLS);
        assertThat(r.toolResults()).extracting(Message.ToolResult::callId).containsExactly("c1", "c2");
        assertThat(r.toolResults().get(0).stderr()).isEqualTo("unknown tool 'python'; the tools are: bash");
        assertThat(r.toolResults().get(0).error()).isTrue();
        assertThat(r.toolResults().get(1).content()).isEqualTo("42");
        // The second turn's prompt held both results, in order.
        assertThat(seen.get(1).subList(3, 5)).containsExactlyElementsOf(r.toolResults());
        assertThat(r.tokens()).isEqualTo(30);
    }

    /** The episode's wall time caps the running command: it is killed, and the episode stops. */
    @Test
    void wallTimeStopsTheEpisode() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); Model model = openAiCompatible(server, dir)) {
            server.scriptTools(TASK, ToolTurn.call("bash", "{\"command\":\"echo started; sleep 20; echo never\"}"),
                    ToolTurn.answer("done"));
            var heard = new Heard();
            long t0 = System.nanoTime();
            AgentResult r = run(model, AgentLimits.DEFAULT.withWallTime(Duration.ofMillis(1500)), heard);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.stop()).isEqualTo(AgentStop.WALL_TIME);
            assertThat(r.stop().wire()).isEqualTo("wall time");
            assertThat(r.turns()).isEqualTo(1);
            assertThat(r.elapsedMillis()).isGreaterThanOrEqualTo(1500);
            assertThat(ms).isLessThan(15_000); // the 20 s sleep did not run out (load-tolerant bound)
            Message.ToolResult res = r.toolResults().getFirst();
            assertThat(res.content()).isEqualTo("started\n");
            assertThat(res.stderr()).contains("killed: the episode's wall time ran out");
            assertThat(res.error()).isTrue();
            assertThat(heard.execs.getFirst().stopReason()).isEqualTo(StopReason.TIMEOUT);
            assertThat(heard.lines).endsWith("snapshot", "stopped wall time 1");
        }
    }

    /**
     * Two calls of 600 bytes each against a 1,000-byte budget: the first is shown whole, the second cut to
     * the 400 bytes left, and the episode stops before the model is asked again.
     */
    @Test
    void outputBytesStopTheEpisode() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); Model model = openAiCompatible(server, dir)) {
            String print600 = "{\"command\":\"head -c 600 /dev/zero | tr '\\\\0' a\"}";
            server.scriptTools(TASK, ToolTurn.call("bash", print600), ToolTurn.call("bash", print600), ToolTurn.answer("done"));
            var heard = new Heard();
            AgentResult r = run(model, AgentLimits.DEFAULT.withOutputBytes(1000), heard);
            assertThat(r.stop()).isEqualTo(AgentStop.OUTPUT_BYTES);
            assertThat(r.stop().wire()).isEqualTo("output bytes");
            assertThat(r.turns()).isEqualTo(2);
            assertThat(r.toolResults()).extracting(Message.ToolResult::content)
                    .containsExactly("a".repeat(600), "a".repeat(400));
            assertThat(r.outputBytes()).isEqualTo(1000);
            assertThat(heard.lines).endsWith("model 2 agent.2", "call 2 bash " + print600, "result 2 true false",
                    "snapshot", "stopped output bytes 2");
        }
    }

    /** The 5 s per-command limit of the sandbox itself is reported to the model as such, and the episode goes on. */
    @Test
    void aCommandKilledByTheSandboxIsAResultNotAStop() throws Exception {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); Model model = openAiCompatible(server, dir)) {
            server.scriptTools(TASK, ToolTurn.call("bash", "{\"command\":\"sleep 30\"}"), ToolTurn.answer("gave up"));
            var heard = new Heard();
            AgentResult r = run(model, AgentLimits.DEFAULT, heard, Limits.DEFAULT.withWallTime(Duration.ofSeconds(1)));
            assertThat(r.stop()).isEqualTo(AgentStop.NO_TOOL_CALLS);
            assertThat(r.toolResults().getFirst().stderr()).contains("killed: the command ran past its wall time of 1 s");
            assertThat(r.finalText()).isEqualTo("gave up");
        }
    }
}
