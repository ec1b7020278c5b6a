package dev.assay.event;

import dev.assay.model.Message;

/**
 * What a tool call returned, as the model was shown it.
 *
 * @param id        the {@link ToolCall#id()} it answers
 * @param output    the text returned to the model (a shell's stdout)
 * @param stderr    a separate error stream ("" when none)
 * @param exitCode  the process's exit status, or null where the tool has none
 * @param isError   the tool failed (the model is told so)
 * @param stop      why it ended early (a {@link dev.assay.sandbox.StopReason} name: timeout, memory, …), or null
 */
public record ToolResult(String step, String id, String name, String output, String stderr, Integer exitCode, boolean isError,
                         String stop, long millis) implements Event {
    public static final String TYPE = "tool_result";

    /** The event for a tool-result turn of the model contract, with the process's exit code and stop reason where known. */
    public static ToolResult of(String step, Message.ToolResult r, Integer exitCode, String stop, long millis) {
        return new ToolResult(step, r.callId(), r.name(), r.content(), r.stderr(), exitCode, r.error(), stop, millis);
    }
}
