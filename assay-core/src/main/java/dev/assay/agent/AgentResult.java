package dev.assay.agent;

import dev.assay.model.Message;
import dev.assay.sandbox.Snapshot;

import java.util.List;

/**
 * An episode's outcome: the whole conversation (the starting turns, then every assistant turn and tool
 * result), why it stopped, the model calls made, tokens and tool output used, its duration, the sandbox's
 * final tree and the model's last text (its answer when it stopped calling tools).
 */
public record AgentResult(List<Message> conversation, AgentStop stop, int turns, long promptTokens,
                          long completionTokens, long outputBytes, long elapsedMillis, Snapshot snapshot,
                          String finalText) {
    public AgentResult {
        conversation = List.copyOf(conversation);
    }

    public long tokens() {
        return promptTokens + completionTokens;
    }

    /** The tool results in order. */
    public List<Message.ToolResult> toolResults() {
        return conversation.stream().filter(m -> m instanceof Message.ToolResult)
                .map(m -> (Message.ToolResult) m).toList();
    }
}
