package dev.assay.model;

/**
 * What a model can do. Suites read it to choose log-likelihood scoring or the generative fallback;
 * providers must declare it honestly (a chat-only API cannot score).
 *
 * @param canScore          {@link Model#score} works
 * @param chatTemplate      {@link Prompt.Chat} is rendered natively (template or chat API)
 * @param rawText           {@link Prompt.Text} is sent as raw text (completions-style)
 * @param prefill           a {@link Prompt.Chat} prefill is continued, not ignored
 * @param tools             a {@link GenerateRequest} with tools is honoured: the completion may carry
 *                          {@link ToolCall}s and tool messages are understood (natively or through the
 *                          text protocol)
 * @param maxContextTokens  0 where unknown
 * @param usdPerMillionPromptTokens     0 where free or unknown
 * @param usdPerMillionCompletionTokens 0 where free or unknown
 */
public record Capabilities(boolean canScore, boolean chatTemplate, boolean rawText, boolean prefill, boolean tools,
                           int maxContextTokens, double usdPerMillionPromptTokens,
                           double usdPerMillionCompletionTokens) {

    /** Without tools, as before tools joined the contract. */
    public Capabilities(boolean canScore, boolean chatTemplate, boolean rawText, boolean prefill,
                        int maxContextTokens, double usdPerMillionPromptTokens, double usdPerMillionCompletionTokens) {
        this(canScore, chatTemplate, rawText, prefill, false, maxContextTokens, usdPerMillionPromptTokens,
                usdPerMillionCompletionTokens);
    }

    public Capabilities withTools(boolean value) {
        return new Capabilities(canScore, chatTemplate, rawText, prefill, value, maxContextTokens,
                usdPerMillionPromptTokens, usdPerMillionCompletionTokens);
    }
}
