package dev.assay.event;

/**
 * What a tool call returned, as the model was shown it.
 *
 * @param id        the {@link ToolCall#id()} it answers
 * @param output    the text returned to the model (stdout and stderr as the protocol frames them)
 * @param exitCode  the process's exit status, or null where the tool has none
 * @param isError   the tool failed (the model is told so)
 * @param stop      why it ended early ("timeout", "memory", "output_limit", …), or null
 */
public record ToolResult(String step, String id, String name, String output, Integer exitCode, boolean isError,
                         String stop, long millis) implements Event {
    public static final String TYPE = "tool_result";
}
