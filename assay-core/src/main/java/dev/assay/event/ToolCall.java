package dev.assay.event;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    public ToolCall {
        arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** The event for a call of the model contract (whose arguments are the text of a JSON object). */
    @SuppressWarnings("unchecked")
    public static ToolCall of(String step, dev.assay.model.ToolCall call) {
        return new ToolCall(step, call.id(), call.name(), JSON.convertValue(call.argumentsJson(), LinkedHashMap.class));
    }
}
