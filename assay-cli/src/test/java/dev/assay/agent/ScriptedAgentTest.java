package dev.assay.agent;

import dev.assay.llama.LlamaModel;
import dev.assay.llama.ScriptedModel;
import dev.assay.llama.SyntheticModel;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent loop on real llama.cpp through the text protocol: a {@link ScriptedModel} GGUF writes
 * {@code <bash>echo hi</bash>} after every ChatML generation prompt (its behaviour is its recipe), so it
 * never stops by itself and only a limit ends the episode. Real sandbox.
 */
class ScriptedAgentTest {
    /** The SmolLM2 tokenizer committed with assay-llama's tests (the working directory is assay-cli). */
    static final Path TOKENIZER = dev.assay.llama.BundledTokenizer.smolLm2();
    static final List<Message> START = List.of(Message.user("Say hi in the shell."));
    static Path dir;
    static LlamaModel model;

    @BeforeAll
    static void write() throws Exception {
        dir = Files.createTempDirectory("assay-agent-test");
        Path gguf = dir.resolve("echo-hi.gguf");
        ScriptedModel.write(gguf, TOKENIZER, SyntheticModel.CHATML_TEMPLATE, "\n", "<bash>echo hi</bash>");
        model = LlamaModel.open("llama/echo-hi", gguf, new LlamaModel.Settings(2048, 1, 1, 64));
    }

    @AfterAll
    static void close() throws Exception {
        if (model != null) model.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static AgentResult run(AgentLoop loop, AgentListener listener) {
        try (Sandbox box = SandboxProvider.named("bwrap").open(null, Limits.DEFAULT)) {
            return loop.run(model, box, START, listener);
        }
    }

    void stopsAtTheTurnLimit(ToolMode mode) {
        var heard = new AgentLoopTest.Heard();
        AgentResult r = run(AgentLoop.of(AgentLimits.DEFAULT.withTurns(3), 32, null).withMode(mode), heard);
        assertThat(r.stop()).isEqualTo(AgentStop.TURNS);
        assertThat(r.stop().wire()).isEqualTo("turns");
        assertThat(r.turns()).isEqualTo(3);
        assertThat(r.toolResults()).hasSize(3).allSatisfy(res -> {
            assertThat(res.content()).isEqualTo("hi\n");
            assertThat(res.error()).isFalse();
        });
        // Each assistant turn is one call, numbered through the episode, answered by its result.
        List<Message> c = r.conversation();
        assertThat(c).hasSize(1 + 3 * 2);
        for (int k = 0; k < 3; k++) {
            var said = (Message.AssistantTurn) c.get(1 + 2 * k);
            assertThat(said.toolCalls()).containsExactly(new ToolCall("call_" + k, "bash", "{\"command\":\"echo hi\"}"));
            assertThat(((Message.ToolResult) c.get(2 + 2 * k)).callId()).isEqualTo("call_" + k);
        }
        assertThat(heard.lines).containsExactly(
                "model 1 agent.1", "call 1 bash {\"command\":\"echo hi\"}", "result 1 true false",
                "model 2 agent.2", "call 2 bash {\"command\":\"echo hi\"}", "result 2 true false",
                "model 3 agent.3", "call 3 bash {\"command\":\"echo hi\"}", "result 3 true false",
                "snapshot", "stopped turns 3");
        // llama.cpp counted the tokens; the prompt grows every turn by the last call and its result.
        assertThat(heard.generations.get(1).promptTokens()).isGreaterThan(heard.generations.get(0).promptTokens());
        assertThat(r.tokens()).isEqualTo(heard.generations.stream().mapToLong(g -> g.promptTokens() + g.completionTokens()).sum());
        assertThat(r.snapshot().changes()).isEmpty();
    }

    /** The loop writes the protocol itself: the request carries no tools and the plain conversation. */
    @Test
    void textModeStopsAtTheTurnLimit() {
        assertThat(model.capabilities().tools()).isTrue();
        stopsAtTheTurnLimit(ToolMode.TEXT);
    }

    /** The engine declares tools and applies the protocol itself: the same episode. */
    @Test
    void autoModeLetsTheEngineSpeakTheProtocol() {
        stopsAtTheTurnLimit(ToolMode.AUTO);
    }

    @Test
    void textModeRequestsAreThePlainConversation() {
        var heard = new AgentLoopTest.Heard();
        run(AgentLoop.of(AgentLimits.DEFAULT.withTurns(2), 32, null).withMode(ToolMode.TEXT), heard);
        var second = heard.requests.get(1);
        assertThat(second.tools()).isEmpty();
        assertThat(second.stop()).contains("</bash>");
        var messages = ((Prompt.Chat) second.prompt()).messages();
        assertThat(messages.get(0).role()).isEqualTo("system");
        assertThat(messages.get(0).content()).startsWith("You have access to the following tools.");
        assertThat(messages.subList(1, 4)).containsExactly(Message.user("Say hi in the shell."),
                Message.assistant("<bash>echo hi</bash>"), Message.user("<stdout>\nhi\n</stdout>"));
    }

    /**
     * A token budget one token above what the first turn used: the first call runs, the second turn
     * passes the budget, so its call is answered "not run" and the episode stops with "tokens".
     */
    @Test
    void theTokenLimitStopsTheEpisode() {
        var probe = new AgentLoopTest.Heard();
        run(AgentLoop.of(AgentLimits.DEFAULT.withTurns(1), 32, null), probe);
        var g = probe.generations.getFirst();
        long firstTurn = g.promptTokens() + g.completionTokens();
        assertThat(firstTurn).isPositive();

        var heard = new AgentLoopTest.Heard();
        AgentResult r = run(AgentLoop.of(AgentLimits.DEFAULT.withTokens(firstTurn + 1), 32, null), heard);
        assertThat(r.stop()).isEqualTo(AgentStop.TOKENS);
        assertThat(r.stop().wire()).isEqualTo("tokens");
        assertThat(r.turns()).isEqualTo(2);
        assertThat(r.tokens()).isGreaterThan(firstTurn + 1);
        assertThat(r.toolResults()).hasSize(2);
        assertThat(r.toolResults().get(0).content()).isEqualTo("hi\n");
        assertThat(r.toolResults().get(1).error()).isTrue();
        assertThat(r.toolResults().get(1).stderr()).isEqualTo("not run: the episode's tokens limit was reached");
        assertThat(heard.execs.get(1)).isNull();
        assertThat(heard.lines).endsWith("snapshot", "stopped tokens 2");
    }
}
