package dev.assay.model;

import java.util.List;

/**
 * The answer to a {@link GenerateRequest}: one {@link Completion} per requested sample, plus token
 * usage (0 where unknown).
 */
public record Generation(List<Completion> completions, long promptTokens, long completionTokens) {
    public Generation {
        completions = List.copyOf(completions);
    }

    public static Generation of(String text) {
        return new Generation(List.of(new Completion(text, "stop", List.of())), 0, 0);
    }

    /** The first completion's text: what single-sample suites read. */
    public String text() {
        return completions.getFirst().text();
    }

    /**
     * One generated text, why it ended ("stop", "length", "tool_calls" (OpenAI and the text protocol),
     * "tool_use" (Anthropic), …), per-token log-probs if asked for, and the tool calls it made, in order.
     */
    public record Completion(String text, String finishReason, List<TokenLogprob> logprobs, List<ToolCall> toolCalls) {
        public Completion {
            logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        /** Without tool calls. */
        public Completion(String text, String finishReason, List<TokenLogprob> logprobs) {
            this(text, finishReason, logprobs, List.of());
        }

        /** The assistant turn this completion adds to a conversation. */
        public Message asMessage() {
            return Message.assistant(text, toolCalls);
        }
    }
}
