package dev.assay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.model.Message;
import dev.assay.model.ModelCallException;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Tool specs, tool-call turns and tool results on the two wire formats. OpenAI chat completions:
 * {@code tools: [{type: function, function: {name, description, parameters}}]}, calls in
 * {@code message.tool_calls[]} with {@code function.arguments} a JSON string, results as role
 * {@code tool} messages with {@code tool_call_id}. Anthropic Messages: {@code tools: [{name,
 * description, input_schema}]}, calls as {@code tool_use} content blocks with an {@code input} object,
 * results as {@code tool_result} blocks (with {@code tool_use_id}) in the next user message.
 *
 * <p>A call the model got wrong (arguments that are not a JSON object, no id) is a
 * {@link ModelCallException} at once: the body is well formed, the model's call is not, and asking the
 * same again gives the same.
 */
final class ToolWire {
    private ToolWire() {
    }

    // ---------------------------------------------------------------- OpenAI

    static ArrayNode openAiTools(List<ToolSpec> tools) {
        ArrayNode out = Json.array();
        for (ToolSpec t : tools) {
            ObjectNode f = out.addObject().put("type", "function").putObject("function");
            f.put("name", t.name()).put("description", t.description());
            f.set("parameters", Json.parse(t.parameters()));
        }
        return out;
    }

    static ObjectNode openAiMessage(Message m) {
        return switch (m) {
            case Message.AssistantTurn a when !a.toolCalls().isEmpty() -> {
                ObjectNode o = Json.object().put("role", "assistant");
                if (a.content().isEmpty()) o.putNull("content");
                else o.put("content", a.content());
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : a.toolCalls()) {
                    calls.addObject().put("id", c.id()).put("type", "function")
                            .putObject("function").put("name", c.name()).put("arguments", c.arguments());
                }
                yield o;
            }
            case Message.ToolResult r -> Json.object().put("role", "tool").put("tool_call_id", r.callId())
                    .put("content", r.text());
            default -> Json.object().put("role", m.role()).put("content", m.content());
        };
    }

    /** The calls of one chat-completions choice's message (none when it has no tool_calls). */
    static List<ToolCall> openAiCalls(JsonNode message) {
        var out = new ArrayList<ToolCall>();
        JsonNode calls = message.path("tool_calls");
        if (calls.isMissingNode() || calls.isNull()) return out;
        if (!calls.isArray()) throw malformed("tool_calls is not a list: " + clip(calls.toString()));
        for (JsonNode c : calls) {
            String id = c.path("id").asText("");
            JsonNode f = c.path("function");
            String name = f.path("name").asText("");
            if (id.isEmpty() || name.isEmpty()) throw malformed("a tool call without an id or a function name: " + clip(c.toString()));
            JsonNode args = f.path("arguments");
            // The format says a JSON string; some compatible servers send the object itself.
            String text = args.isTextual() ? args.asText() : args.isObject() ? Json.write(args) : null;
            if (text == null) throw malformed("tool call " + id + " (" + name + ") has no arguments: " + clip(c.toString()));
            out.add(call(id, name, text));
        }
        return out;
    }

    // ---------------------------------------------------------------- Anthropic

    static ArrayNode anthropicTools(List<ToolSpec> tools) {
        ArrayNode out = Json.array();
        for (ToolSpec t : tools) {
            ObjectNode o = out.addObject().put("name", t.name()).put("description", t.description());
            o.set("input_schema", Json.parse(t.parameters()));
        }
        return out;
    }

    /**
     * The conversation (system turns already taken out) as Messages-API messages: tool results go as
     * {@code tool_result} blocks into one user message, with a user turn that follows them joined on as
     * a text block, since the API wants the results first in the very next user message.
     */
    static void anthropicMessages(List<Message> messages, ArrayNode out) {
        ArrayNode results = null;
        for (Message m : messages) {
            if (m instanceof Message.ToolResult r) {
                if (results == null) results = out.addObject().put("role", "user").putArray("content");
                ObjectNode block = results.addObject().put("type", "tool_result").put("tool_use_id", r.callId())
                        .put("content", r.text());
                if (r.error()) block.put("is_error", true);
                continue;
            }
            if (results != null && m instanceof Message.UserTurn u) {
                results.addObject().put("type", "text").put("text", u.content());
                results = null;
                continue;
            }
            results = null;
            if (m instanceof Message.AssistantTurn a && !a.toolCalls().isEmpty()) {
                ArrayNode content = out.addObject().put("role", "assistant").putArray("content");
                if (!a.content().isBlank()) content.addObject().put("type", "text").put("text", a.content().stripTrailing());
                for (ToolCall c : a.toolCalls()) {
                    content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                            .set("input", c.argumentsJson());
                }
            } else {
                out.add(Json.object().put("role", m.role()).put("content", m.content()));
            }
        }
    }

    /** The {@code tool_use} blocks of a Messages answer. */
    static List<ToolCall> anthropicCalls(JsonNode content) {
        var out = new ArrayList<ToolCall>();
        for (JsonNode block : content) {
            if (!"tool_use".equals(block.path("type").asText())) continue;
            String id = block.path("id").asText("");
            String name = block.path("name").asText("");
            if (id.isEmpty() || name.isEmpty()) throw malformed("a tool_use block without an id or a name: " + clip(block.toString()));
            JsonNode input = block.path("input");
            if (!input.isObject()) {
                throw malformed("tool call " + id + " (" + name + ") has an input that is not a JSON object: " + clip(input.toString()));
            }
            out.add(call(id, name, Json.write(input)));
        }
        return out;
    }

    private static ToolCall call(String id, String name, String arguments) {
        try {
            return new ToolCall(id, name, arguments);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static MalformedCall malformed(String detail) {
        return new MalformedCall("the model's tool call is malformed: " + detail);
    }

    /** Caught by the model, which puts its spec in front. */
    static final class MalformedCall extends ModelCallException {
        MalformedCall(String message) {
            super(message);
        }
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
