package dev.assay.event;

import java.util.Map;

/**
 * A tool call the model made (natively, or parsed from the text protocol's {@code <bash>…</bash>}).
 *
 * @param id        the call's id, as the provider gave it or as the agent loop numbered it
 * @param name      the tool ("bash", …)
 * @param arguments its arguments as JSON values ({@code {"command": "ls"}})
 */
public record ToolCall(String step, String id, String name, Map<String, Object> arguments) implements Event {
    public static final String TYPE = "tool_call";

    public ToolCall {
        arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
    }
}
