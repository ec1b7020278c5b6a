package dev.assay.agent;

import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.ToolCall;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Snapshot;

/**
 * What happened in an episode, in order, as it happens (so a failure part-way leaves what came before).
 * Called on the episode's thread. Every method has an empty default.
 */
public interface AgentListener {

    AgentListener NONE = new AgentListener() {
    };

    /** Model call {@code turn} (1-based): the request as the loop sent it, the answer, and how long it took. */
    default void modelCall(int turn, GenerateRequest request, Generation generation, long millis) {
    }

    /** A tool call the model made in {@code turn}, before it runs. */
    default void toolCall(int turn, ToolCall call) {
    }

    /**
     * What the model is shown for {@code call}. {@code exec} is the sandbox's own outcome, or null when no
     * command ran (an unknown tool, bad arguments, a limit reached first).
     */
    default void toolResult(int turn, ToolCall call, Message.ToolResult result, ExecResult exec, long millis) {
    }

    /** The sandbox's final tree, taken when the episode ended. */
    default void snapshot(Snapshot snapshot) {
    }

    /** The episode ended, and why. */
    default void stopped(AgentStop stop, int turns) {
    }
}
