package dev.assay.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.ModelCallException;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Tool use for models that only read and write text, in the format of Denison et al.'s transcripts:
 * the tools are described in the prompt, the model calls one by writing {@code <bash>ls -la</bash>}
 * (the tag is the tool's name), and the result comes back as {@code <stdout>…</stdout>} and, when
 * there is any, {@code <stderr>…</stderr>} in the next user turn.
 *
 * <p>A tool whose schema has exactly one string property takes the tag's body as that argument (the
 * shell's command); any other tool takes a JSON object of arguments as the body.
 *
 * <p>{@link #generate} runs a whole request through the protocol on any text generator, so a raw-text
 * model (the embedded engine) answers a request with tools as a native-tool model would.
 */
public final class TextToolProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Finish reason of a completion that ended in a tool call, as on the OpenAI wire. */
    public static final String TOOL_CALLS = "tool_calls";

    private TextToolProtocol() {
    }

    /** The calls found in a generated text, and the text around them (the assistant's own words). */
    public record Parsed(String text, List<ToolCall> calls) {
        public Parsed {
            calls = List.copyOf(calls);
        }
    }

    /** The prompt text that offers {@code tools}. */
    public static String instructions(List<ToolSpec> tools) {
        var sb = new StringBuilder();
        sb.append("You have access to the following tools. To use one, write its tag, for example ");
        ToolSpec first = tools.getFirst();
        sb.append('<').append(first.name()).append('>')
                .append(singleArgument(first) != null ? "ls" : "{\"argument\": \"value\"}")
                .append("</").append(first.name()).append(">. ");
        sb.append("The output will be returned in <stdout></stdout> tags, and errors in <stderr></stderr> tags.\n");
        for (ToolSpec t : tools) {
            sb.append("\n<").append(t.name()).append(">: ").append(t.description().strip());
            String single = singleArgument(t);
            if (single != null) sb.append(" The body of the tag is the ").append(single).append('.');
            else sb.append(" The body of the tag is a JSON object of arguments with this schema: ").append(t.parameters());
        }
        return sb.toString();
    }

    /** The closing tags, as stop sequences: the model stops after its call, before inventing its output. */
    public static List<String> stopSequences(List<ToolSpec> tools) {
        return tools.stream().map(t -> "</" + t.name() + ">").toList();
    }

    /** A call written as the model writes it. */
    public static String render(ToolCall call, List<ToolSpec> tools) {
        ToolSpec spec = tools.stream().filter(t -> t.name().equals(call.name())).findFirst().orElse(null);
        JsonNode args = call.argumentsJson();
        // A tool not offered in this request: a lone string argument is still written bare.
        String single = spec != null ? singleArgument(spec)
                : args.size() == 1 && args.properties().iterator().next().getValue().isTextual()
                ? args.properties().iterator().next().getKey() : null;
        String body = single != null && call.argument(single) != null ? call.argument(single) : call.arguments();
        return "<" + call.name() + ">" + body + "</" + call.name() + ">";
    }

    /** A result as the model reads it. */
    public static String render(Message.ToolResult result) {
        var sb = new StringBuilder();
        if (!result.content().isEmpty() || result.stderr().isEmpty() && !result.error()) {
            sb.append("<stdout>\n").append(withNewline(result.content())).append("</stdout>");
        }
        if (!result.stderr().isEmpty() || result.error() && result.content().isEmpty()) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append("<stderr>\n").append(withNewline(result.stderr())).append("</stderr>");
        }
        return sb.toString();
    }

    /**
     * The calls in {@code text}, in order. A call may lack its closing tag only at the very end (the
     * closing tag was a stop sequence). Ids are {@code call_<firstId>}, {@code call_<firstId+1>}, … A body
     * that is not valid arguments is an {@link IllegalArgumentException} naming the tool.
     */
    public static Parsed parse(String text, List<ToolSpec> tools, int firstId) {
        var calls = new ArrayList<ToolCall>();
        var prose = new StringBuilder();
        int at = 0;
        while (true) {
            int open = -1;
            ToolSpec which = null;
            for (ToolSpec t : tools) {
                int i = text.indexOf("<" + t.name() + ">", at);
                if (i >= 0 && (open < 0 || i < open)) {
                    open = i;
                    which = t;
                }
            }
            if (which == null) break;
            int bodyStart = open + which.name().length() + 2;
            String close = "</" + which.name() + ">";
            int end = text.indexOf(close, bodyStart);
            String body = end < 0 ? text.substring(bodyStart) : text.substring(bodyStart, end);
            prose.append(text, at, open);
            calls.add(new ToolCall("call_" + (firstId + calls.size()), which.name(), arguments(which, body)));
            if (end < 0) {
                at = text.length();
                break;
            }
            at = end + close.length();
        }
        prose.append(text.substring(at));
        return new Parsed(prose.toString().strip(), calls);
    }

    /**
     * The conversation with tool calls and results written out as text: an assistant turn that called
     * tools gets its calls appended, results become user turns (consecutive ones joined), and the tool
     * instructions go into the system prompt (a new one when there is none).
     */
    public static List<Message> plainMessages(List<Message> messages, List<ToolSpec> tools) {
        var out = new ArrayList<Message>();
        if (!tools.isEmpty()) {
            String offer = instructions(tools);
            if (!messages.isEmpty() && messages.getFirst() instanceof Message.SystemTurn s) {
                out.add(Message.system(s.content().isEmpty() ? offer : s.content() + "\n\n" + offer));
                messages = messages.subList(1, messages.size());
            } else {
                out.add(Message.system(offer));
            }
        }
        StringBuilder results = null;
        for (Message m : messages) {
            if (m instanceof Message.ToolResult r) {
                if (results == null) results = new StringBuilder();
                else results.append('\n');
                results.append(render(r));
                continue;
            }
            if (results != null) {
                out.add(Message.user(results.toString()));
                results = null;
            }
            if (m instanceof Message.AssistantTurn a && !a.toolCalls().isEmpty()) {
                var sb = new StringBuilder(a.content());
                for (ToolCall c : a.toolCalls()) {
                    if (!sb.isEmpty() && !Character.isWhitespace(sb.charAt(sb.length() - 1))) sb.append('\n');
                    sb.append(render(c, tools));
                }
                out.add(Message.assistant(sb.toString()));
            } else {
                out.add(m);
            }
        }
        if (results != null) out.add(Message.user(results.toString()));
        return out;
    }

    /** Whether {@code request} needs the protocol: it offers tools or its conversation holds tool turns. */
    public static boolean needed(GenerateRequest request) {
        if (!request.tools().isEmpty()) return true;
        return request.prompt() instanceof Prompt.Chat c && c.messages().stream().anyMatch(TextToolProtocol::toolTurn);
    }

    public static boolean toolTurn(Message m) {
        return m instanceof Message.ToolResult || m instanceof Message.AssistantTurn a && !a.toolCalls().isEmpty();
    }

    /**
     * Runs {@code request} on a text generator through the protocol: the prompt is rewritten (tools
     * offered, tool turns written out), the closing tags are added as stop sequences, the request goes
     * out without tools, and each completion's calls are parsed back out (finish reason
     * {@value #TOOL_CALLS} when it made any). A raw-text prompt gets the instructions in front.
     *
     * @throws ModelCallException when a generated call's body is not valid arguments
     */
    public static Generation generate(GenerateRequest request, Function<GenerateRequest, Generation> textModel) {
        List<ToolSpec> tools = request.tools();
        Prompt prompt = switch (request.prompt()) {
            case Prompt.Chat c -> new Prompt.Chat(plainMessages(c.messages(), tools), c.prefill());
            case Prompt.Text t -> tools.isEmpty() ? t : new Prompt.Text(instructions(tools) + "\n\n" + t.text(), t.startOfText());
        };
        var stop = new LinkedHashSet<>(request.stop());
        stop.addAll(stopSequences(tools));
        Generation g = textModel.apply(request.withTools(List.of()).withPrompt(prompt).withStop(List.copyOf(stop)));
        if (tools.isEmpty()) return g;
        int firstId = previousCalls(request.prompt());
        var completions = new ArrayList<Generation.Completion>();
        for (Generation.Completion c : g.completions()) {
            Parsed p;
            try {
                p = parse(c.text(), tools, firstId);
            } catch (IllegalArgumentException e) {
                throw new ModelCallException("the model wrote a malformed tool call: " + e.getMessage());
            }
            completions.add(p.calls().isEmpty() ? c
                    : new Generation.Completion(p.text(), TOOL_CALLS, c.logprobs(), p.calls()));
        }
        return new Generation(completions, g.promptTokens(), g.completionTokens());
    }

    /** How many tool calls the conversation already holds, so new ids do not repeat old ones. */
    static int previousCalls(Prompt prompt) {
        if (!(prompt instanceof Prompt.Chat c)) return 0;
        int n = 0;
        for (Message m : c.messages()) if (m instanceof Message.AssistantTurn a) n += a.toolCalls().size();
        return n;
    }

    /** The one string property of a tool's schema, or null when it has another shape. */
    static String singleArgument(ToolSpec t) {
        JsonNode props = ToolCall.parseObject(t.parameters(), "parameters").path("properties");
        if (!props.isObject() || props.size() != 1) return null;
        var e = props.properties().iterator().next();
        return "string".equals(e.getValue().path("type").asText()) ? e.getKey() : null;
    }

    private static String arguments(ToolSpec tool, String body) {
        String single = singleArgument(tool);
        if (single != null) {
            // The shell's command as written, less the newlines models put around it.
            return JSON.createObjectNode().put(single, body.strip()).toString();
        }
        ToolCall.parseObject(body.strip(), "the arguments of a <" + tool.name() + "> call");
        return body.strip();
    }

    private static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }
}
