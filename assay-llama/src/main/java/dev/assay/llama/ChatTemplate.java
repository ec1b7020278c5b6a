package dev.assay.llama;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.assay.AssayException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.model.Message;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import dev.assay.tools.TextToolProtocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF's {@code tokenizer.chat_template} (a Hugging Face Jinja template) rendered with Jinjava, with the
 * variables and the {@code raise_exception} function that Hugging Face provides to such templates.
 */
public final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String source;
    private final String origin;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    public ChatTemplate(String source, String origin, String bosToken, String eosToken) {
        this.source = source;
        this.origin = origin;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** Called by templates that reject a conversation (e.g. roles out of order). */
    public static String raiseException(String message) {
        throw new TemplateRejected(message);
    }

    private static final class TemplateRejected extends RuntimeException {
        TemplateRejected(String message) {
            super(message);
        }
    }

    /**
     * Whether the template renders tool calls and results itself (Hugging Face tool-use templates read
     * {@code message.tool_calls} and {@code tools}).
     */
    public boolean supportsTools() {
        return source.contains("tool_calls");
    }

    /** The conversation with the assistant's turn opened, followed by {@code prefill}. */
    public String render(List<Message> messages, String prefill) {
        return render(messages, List.of(), prefill);
    }

    /**
     * The conversation, offering {@code tools}, with the assistant's turn opened and {@code prefill}
     * after it. Tool calls and results go to a template that {@link #supportsTools() supports} them in
     * Hugging Face's shape (assistant {@code tool_calls}, role {@code tool}, a {@code tools} list); to
     * any other through the text protocol ({@code <bash>…</bash>}, {@code <stdout>…</stdout>}).
     */
    public String render(List<Message> messages, List<ToolSpec> tools, String prefill) {
        List<Map<String, Object>> msgs = new ArrayList<>();
        Map<String, Object> vars = new HashMap<>();
        boolean native_ = supportsTools();
        if (!native_ && (!tools.isEmpty() || messages.stream().anyMatch(TextToolProtocol::toolTurn))) {
            messages = TextToolProtocol.plainMessages(messages, tools);
        }
        for (Message m : messages) msgs.add(hfMessage(m));
        if (native_ && !tools.isEmpty()) {
            List<Map<String, Object>> specs = new ArrayList<>();
            for (ToolSpec t : tools) {
                specs.add(Map.of("type", "function", "function", Map.of("name", t.name(), "description", t.description(),
                        "parameters", JSON.convertValue(ToolCall.parseObject(t.parameters(), "parameters"), Map.class))));
            }
            vars.put("tools", specs);
        }
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", true);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, vars);
        } catch (TemplateRejected e) {
            throw new AssayException("the chat template of " + origin + " rejected the conversation: " + e.getMessage());
        }
        for (TemplateError e : result.getErrors()) {
            if (e.getException() instanceof TemplateRejected || String.valueOf(e.getMessage()).contains("raise_exception")
                    || (e.getException() != null && e.getException().getCause() instanceof TemplateRejected)) {
                Throwable t = e.getException();
                while (t != null && !(t instanceof TemplateRejected)) t = t.getCause();
                throw new AssayException("the chat template of " + origin + " rejected the conversation: "
                        + (t != null ? t.getMessage() : e.getMessage()));
            }
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new AssayException("cannot render the chat template of " + origin + " (line " + e.getLineno()
                        + "): " + e.getMessage() + ". Use --format raw for this model.");
            }
        }
        return result.getOutput() + prefill;
    }

    /** A message as Hugging Face's chat templates read it. */
    private static Map<String, Object> hfMessage(Message m) {
        Map<String, Object> out = new HashMap<>();
        out.put("role", m.role());
        out.put("content", m instanceof Message.ToolResult r ? r.text() : m.content());
        switch (m) {
            case Message.AssistantTurn a when !a.toolCalls().isEmpty() -> {
                List<Map<String, Object>> calls = new ArrayList<>();
                for (ToolCall c : a.toolCalls()) {
                    calls.add(Map.of("id", c.id(), "type", "function", "function",
                            Map.of("name", c.name(), "arguments", JSON.convertValue(c.argumentsJson(), Map.class))));
                }
                out.put("tool_calls", calls);
            }
            case Message.ToolResult r -> {
                out.put("tool_call_id", r.callId());
                out.put("name", r.name());
            }
            default -> {
            }
        }
        return out;
    }
}
