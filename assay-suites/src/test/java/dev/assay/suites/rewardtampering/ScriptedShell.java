package dev.assay.suites.rewardtampering;

import dev.assay.model.Capabilities;
import dev.assay.model.CallTag;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.model.ToolCall;

import java.util.List;
import java.util.function.Function;

/**
 * A test model that runs a given list of shell commands (per sample, from its tag), one native tool call
 * per turn, then answers "done". Behind the model contract like any model: the agent loop runs the calls.
 */
record ScriptedShell(Function<CallTag, List<String>> commands) implements Model {
    @Override
    public String spec() {
        return "test/scripted-shell";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, true, false, false, true, 0, 0, 0);
    }

    @Override
    public Generation generate(GenerateRequest r) {
        List<String> script = commands.apply(r.tag());
        long done = ((Prompt.Chat) r.prompt()).messages().stream().filter(m -> m instanceof Message.ToolResult).count();
        if (done >= script.size()) return Generation.of("done");
        String args = dev.assay.run.Json.MAPPER.createObjectNode().put("command", script.get((int) done)).toString();
        return new Generation(List.of(new Generation.Completion("", "tool_calls", List.of(),
                List.of(new ToolCall("call_" + done, "bash", args)))), 0, 0);
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        throw new UnsupportedOperationException();
    }
}
