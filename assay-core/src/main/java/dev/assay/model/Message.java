package dev.assay.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a dialogue: a system prompt, a user turn, an assistant turn (text and any tool calls it
 * made) or the result of one tool call. {@link #role()} is "system", "user", "assistant" or "tool";
 * {@link #content()} is the turn's text (an assistant turn that only called tools has "").
 */
@JsonPropertyOrder({"role", "content"})
public sealed interface Message {

    /** Serialised, so a logged message reads {"role": …, "content": …} as when Message was a record of the two. */
    @JsonProperty("role")
    String role();

    String content();

    record SystemTurn(String content) implements Message {
        public SystemTurn {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String role() { return "system"; }
    }

    record UserTurn(String content) implements Message {
        public UserTurn {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String role() { return "user"; }
    }

    /** What the model said, and the tools it asked to call (in order), if any. */
    record AssistantTurn(String content, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls)
            implements Message {
        public AssistantTurn {
            Objects.requireNonNull(content, "content");
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        @Override
        public String role() { return "assistant"; }
    }

    /**
     * The answer to the tool call {@code callId} of tool {@code name}. {@code content} is its output
     * (a shell's stdout), {@code stderr} a separate error stream ("" when none or not applicable),
     * {@code error} whether the call failed (non-zero exit, unknown tool, limit hit).
     */
    record ToolResult(String callId, String name, String content, String stderr, boolean error) implements Message {
        public ToolResult {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
            stderr = stderr == null ? "" : stderr;
        }

        @Override
        public String role() { return "tool"; }

        /**
         * The result as one text, for wire formats that carry a single string: the output, then the
         * error stream on its own line when there is one.
         */
        public String text() {
            if (stderr.isEmpty()) return content;
            return content.isEmpty() || content.endsWith("\n") ? content + stderr : content + "\n" + stderr;
        }
    }

    static Message system(String content) { return new SystemTurn(content); }

    static Message user(String content) { return new UserTurn(content); }

    static Message assistant(String content) { return new AssistantTurn(content, List.of()); }

    static Message assistant(String content, List<ToolCall> toolCalls) { return new AssistantTurn(content, toolCalls); }

    static Message toolResult(ToolCall call, String content) {
        return new ToolResult(call.id(), call.name(), content, "", false);
    }

    static Message toolResult(ToolCall call, String stdout, String stderr, boolean error) {
        return new ToolResult(call.id(), call.name(), stdout, stderr, error);
    }

    /** A plain turn by role name ("system", "user", "assistant"), as data files spell them. */
    static Message of(String role, String content) {
        return switch (role) {
            case "system" -> system(content);
            case "user" -> user(content);
            case "assistant" -> assistant(content);
            default -> throw new IllegalArgumentException("unknown role " + role + " (system, user or assistant)");
        };
    }
}
