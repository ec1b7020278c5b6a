package dev.assay.step;

import dev.assay.agent.AgentLimits;
import dev.assay.agent.AgentListener;
import dev.assay.agent.AgentLoop;
import dev.assay.agent.AgentResult;
import dev.assay.agent.ToolMode;
import dev.assay.event.Note;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.event.ToolResult;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Snapshot;
import dev.assay.suite.Dialogue;
import dev.assay.suite.GenerationSettings;
import dev.assay.suite.Key;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent loop as a step ({@link AgentLoop}): from the conversation so far, the model acts in the sample's
 * sandbox through the shell tool until it answers without calling one or a limit is reached. Model calls
 * are recorded by the runner (steps {@code <step>.1}, {@code <step>.2}, …); this step appends a tool-call and a
 * tool-result event per call, the final tree as a sandbox-snapshot event and a note saying why it stopped.
 * It leaves the whole conversation as the state's, the model's last text as its reply, and in the store
 * {@code <step>_text} (that text), {@code <step>_stop} (the stop reason: "no tool calls", "turns", "tokens",
 * "wall time", "output bytes", "sandbox ended") and {@code <step>_turns}.
 *
 * <p>Under the chat format the model gets native tool calls if it declares tools ({@link ToolMode#AUTO});
 * under the raw format, or with {@link ToolMode#TEXT}, the text protocol, rendered in that format. The run's
 * --temperature, --top-p and --max-tokens apply to every turn.
 */
public record Agent(String step, AgentLimits limits, int maxTokens, ToolMode mode) implements Solver {

    public static Agent of(String step, AgentLimits limits) {
        return new Agent(step, limits, 512, ToolMode.AUTO);
    }

    public Key<String> text() {
        return Key.text(step + "_text");
    }

    public Key<String> stop() {
        return Key.text(step + "_stop");
    }

    public Key<Integer> turns() {
        return Key.index(step + "_turns");
    }

    @Override
    public void solve(SampleState s) {
        PromptFormat format = s.context().format();
        GenerationSettings g = s.context().settings();
        double temperature = g.temperature(0.0);
        List<String> stop = format == PromptFormat.RAW ? Reply.HUMAN_TURN : List.of();
        var request = new GenerateRequest(new Prompt.Chat(List.of(), ""), g.maxTokens(maxTokens), temperature,
                g.topP(1.0), temperature > 0 ? s.context().seed() : 0L, stop, 1, 0, s.context().tag().withStep(step));
        ToolMode m = format == PromptFormat.RAW ? ToolMode.TEXT : mode;
        String prefill = s.conversation().prefill();
        var loop = new AgentLoop(limits, m, request, messages -> new Dialogue(messages, "").render(format));
        AgentResult r = loop.run(s.model(), s.sandbox(), s.conversation().messages(), new Events(s));
        if (!prefill.isEmpty()) {
            // A prefill cannot start a tool-calling turn; it is dropped rather than sent half-way.
            s.transcript().add(new Note(step, "the conversation's prefill was not used by the agent loop", Map.of("prefill", prefill)));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stop", r.stop().wire());
        data.put("turns", r.turns());
        data.put("prompt_tokens", r.promptTokens());
        data.put("completion_tokens", r.completionTokens());
        data.put("output_bytes", r.outputBytes());
        data.put("millis", r.elapsedMillis());
        s.transcript().add(new Note(step, "the agent loop stopped: " + r.stop().wire(), data));
        s.conversation(new Dialogue(r.conversation(), ""));
        s.reply(r.finalText());
        s.set(text(), r.finalText());
        s.set(stop(), r.stop().wire());
        s.set(turns(), r.turns());
    }

    /** Appends what the loop reports as typed events; model calls are the runner's recording wrapper's. */
    private final class Events implements AgentListener {
        final SampleState s;

        Events(SampleState s) {
            this.s = s;
        }

        String turnStep(int turn) {
            return step + "." + turn;
        }

        @Override
        public void toolCall(int turn, dev.assay.model.ToolCall call) {
            s.transcript().add(ToolCall.of(turnStep(turn), call));
        }

        @Override
        public void toolResult(int turn, dev.assay.model.ToolCall call, Message.ToolResult result, ExecResult exec, long millis) {
            s.transcript().add(ToolResult.of(turnStep(turn), result, exec == null ? null : exec.exitCode(),
                    exec == null || exec.stopReason() == dev.assay.sandbox.StopReason.EXITED ? null
                            : exec.stopReason().name(), millis)); // as docs/log-schema.json names it
        }

        @Override
        public void snapshot(Snapshot snapshot) {
            s.transcript().add(new SandboxSnapshot(step, snapshot));
        }
    }
}
