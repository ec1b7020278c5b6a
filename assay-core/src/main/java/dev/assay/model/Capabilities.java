package dev.assay.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a model can do, declared honestly by its provider (a chat-only API cannot score): the set of
 * {@link Capability}s ({@link #set()}), the context length and the prices. The runner checks the set
 * against what each suite needs under the run's format and answering method before the first call
 * (exit 2 on a mismatch); prices turn the recorded token counts into a run's cost.
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

    /** The capabilities as a set. */
    public Set<Capability> set() {
        Set<Capability> s = EnumSet.noneOf(Capability.class);
        if (canScore) s.add(Capability.SCORE);
        if (chatTemplate) s.add(Capability.CHAT_TEMPLATE);
        if (rawText) s.add(Capability.RAW_TEXT);
        if (prefill) s.add(Capability.PREFILL);
        if (tools) s.add(Capability.TOOLS);
        return s;
    }

    public boolean has(Capability c) {
        return set().contains(c);
    }

    /** Those of {@code needed} this model lacks. */
    public Set<Capability> missing(Set<Capability> needed) {
        Set<Capability> m = needed.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(needed);
        m.removeAll(set());
        return m;
    }
}
