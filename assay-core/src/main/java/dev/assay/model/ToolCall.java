package dev.assay.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;

/**
 * A model's request to run tool {@code name} with {@code arguments}, the text of a JSON object (kept
 * as sent, so it goes back to the provider unchanged). {@code id} is unique within the conversation;
 * the {@link Message.ToolResult} that answers the call carries it.
 */
public record ToolCall(String id, String name, String arguments) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        parseObject(arguments, "the arguments of tool call " + id + " (" + name + ")");
    }

    /** The arguments as a JSON tree. */
    public JsonNode argumentsJson() {
        return parseObject(arguments, "arguments");
    }

    /** A string argument, or null when it is absent or not a string. */
    public String argument(String key) {
        JsonNode v = argumentsJson().get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /**
     * {@code text} read as a JSON object, or an {@link IllegalArgumentException} naming {@code what}:
     * providers turn it into a {@link ModelCallException} when a model's call is malformed.
     */
    public static JsonNode parseObject(String text, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " are not valid JSON (" + firstLine(e.getMessage()) + "): " + clip(text));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " are not a JSON object: " + clip(text));
        }
        return node;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
