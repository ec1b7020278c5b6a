package dev.assay.model;

/** One thing a model can do; {@link Capabilities#set()} holds those it has, suites say which they need. */
public enum Capability {
    /** {@link Model#score} works: log-probabilities of given continuations. */
    SCORE("log-probabilities (score)"),
    /** {@link Prompt.Text} is sent as raw text, not wrapped in a chat turn. */
    RAW_TEXT("raw text prompts"),
    /** A {@link Prompt.Chat} prefill is continued, not dropped. */
    PREFILL("assistant prefill"),
    /** {@link Prompt.Chat} is rendered natively (a chat template or a chat API). */
    CHAT_TEMPLATE("a chat template"),
    /** Native tool calling on generate requests. */
    TOOLS("tool calling");

    private final String description;

    Capability(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
