package dev.assay.model;

import java.util.List;

/**
 * A request for text. {@code n} completions are asked for; {@code topLogprobs} > 0 asks for that many
 * alternatives per generated token where the provider can give them. {@code seed} makes sampling
 * repeatable where the provider honours seeds. {@code tools} (may be empty) are offered to the model,
 * which may answer with {@link ToolCall}s.
 */
public record GenerateRequest(Prompt prompt, int maxTokens, double temperature, double topP, long seed,
                              List<String> stop, int n, int topLogprobs, CallTag tag, List<ToolSpec> tools) {
    public GenerateRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (n < 1) throw new IllegalArgumentException("n must be >= 1");
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1");
        tag = tag == null ? CallTag.NONE : tag;
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (tools.stream().map(ToolSpec::name).distinct().count() != tools.size()) {
            throw new IllegalArgumentException("two tools share a name: " + tools.stream().map(ToolSpec::name).toList());
        }
    }

    /** Without tools. */
    public GenerateRequest(Prompt prompt, int maxTokens, double temperature, double topP, long seed,
                           List<String> stop, int n, int topLogprobs, CallTag tag) {
        this(prompt, maxTokens, temperature, topP, seed, stop, n, topLogprobs, tag, List.of());
    }

    /** Greedy decoding, one completion. */
    public static GenerateRequest greedy(Prompt prompt, int maxTokens, List<String> stop, CallTag tag) {
        return new GenerateRequest(prompt, maxTokens, 0.0, 1.0, 0L, stop, 1, 0, tag);
    }

    public GenerateRequest withTools(List<ToolSpec> newTools) {
        return new GenerateRequest(prompt, maxTokens, temperature, topP, seed, stop, n, topLogprobs, tag, newTools);
    }

    public GenerateRequest withPrompt(Prompt newPrompt) {
        return new GenerateRequest(newPrompt, maxTokens, temperature, topP, seed, stop, n, topLogprobs, tag, tools);
    }

    public GenerateRequest withStop(List<String> newStop) {
        return new GenerateRequest(prompt, maxTokens, temperature, topP, seed, newStop, n, topLogprobs, tag, tools);
    }
}
