package dev.assay.agent;

/** How the tools reach the model. */
public enum ToolMode {
    /** Native tool calls when the model's capabilities say tools, the text protocol otherwise. */
    AUTO,
    /** Always native: the request carries the tool specs, the completion its tool calls. */
    NATIVE,
    /**
     * Always the text protocol ({@link dev.assay.tools.TextToolProtocol}: {@code <bash>…</bash>} in,
     * {@code <stdout>}/{@code <stderr>} back), even for a model with native tools: the same prompt for every
     * model.
     */
    TEXT
}
