package dev.assay.http.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake server's tool calling on both wire formats. Every request is checked as the real APIs
 * check it (a tool result must answer a call the assistant turn before it issued, every call must be
 * answered before the conversation goes on, tools are well formed); a request that offers tools and
 * whose first user message has a script gets the script's next turn, counted by the tool-call turns
 * already in the conversation. Stateless per request, so retries and repeats get the same answer.
 */
final class ToolConversations {
    private final ObjectMapper json;
    private final Map<String, List<ToolTurn>> scripts = new ConcurrentHashMap<>();
    private final AtomicLong results = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    ToolConversations(ObjectMapper json) {
        this.json = json;
    }

    void script(String prompt, List<ToolTurn> turns) {
        scripts.put(prompt, List.copyOf(turns));
    }

    long resultsReceived() { return results.get(); }

    long callsSent() { return calls.get(); }

    /** A request the real API would refuse: answered 400 with this message. */
    static final class Rejected extends IllegalArgumentException {
        Rejected(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- OpenAI chat completions

    /** The scripted answer to a chat-completions request, or null to answer it as any other. */
    ObjectNode openAi(JsonNode req) {
        Set<String> offered = new LinkedHashSet<>();
        for (JsonNode t : req.path("tools")) {
            String name = t.path("function").path("name").asText("");
            if (!"function".equals(t.path("type").asText()) || name.isEmpty()) {
                throw new Rejected("tools: each tool is {type: function, function: {name, description, parameters}}; got " + t);
            }
            if (t.path("function").has("parameters") && !t.path("function").path("parameters").isObject()) {
                throw new Rejected("tools: the parameters of " + name + " must be a JSON schema object");
            }
            offered.add(name);
        }
        var pending = new LinkedHashSet<String>();
        var issued = new java.util.HashSet<String>();
        String firstUser = null;
        String lastResult = "";
        int turnsSinceUser = 0;
        int received = 0;
        for (JsonNode m : req.path("messages")) {
            String role = m.path("role").asText();
            if (!pending.isEmpty() && !role.equals("tool")) {
                throw new Rejected("An assistant message with 'tool_calls' must be followed by tool messages responding "
                        + "to each 'tool_call_id'. The following tool_call_ids did not have response messages: " + pending);
            }
            switch (role) {
                case "user" -> {
                    if (firstUser == null) firstUser = m.path("content").asText();
                }
                case "assistant" -> {
                    JsonNode tc = m.path("tool_calls");
                    if (tc.isArray() && !tc.isEmpty()) {
                        turnsSinceUser++;
                        for (JsonNode c : tc) {
                            String id = c.path("id").asText("");
                            if (id.isEmpty() || !"function".equals(c.path("type").asText())
                                    || c.path("function").path("name").asText("").isEmpty()
                                    || !c.path("function").path("arguments").isTextual()) {
                                throw new Rejected("messages: a tool call is {id, type: function, function: {name, "
                                        + "arguments (a string)}}; got " + c);
                            }
                            if (!issued.add(id)) throw new Rejected("messages: tool_call_id " + id + " is used twice");
                            pending.add(id);
                        }
                    } else if (!m.path("content").isTextual()) {
                        throw new Rejected("messages: an assistant message needs content or tool_calls");
                    }
                }
                case "tool" -> {
                    String id = m.path("tool_call_id").asText("");
                    if (!pending.remove(id)) {
                        throw new Rejected("messages: a 'tool' message answers tool_call_id '" + id
                                + "', which the preceding assistant message did not issue (or was answered already)");
                    }
                    if (!m.path("content").isTextual()) throw new Rejected("messages: a 'tool' message's content must be a string");
                    lastResult = m.path("content").asText();
                    received++;
                }
                case "system", "developer" -> {
                }
                default -> throw new Rejected("messages: unknown role '" + role + "'");
            }
        }
        if (!pending.isEmpty()) {
            throw new Rejected("An assistant message with 'tool_calls' must be followed by tool messages responding "
                    + "to each 'tool_call_id'. The following tool_call_ids did not have response messages: " + pending);
        }
        results.addAndGet(received);
        ToolTurn turn = next(firstUser, offered, turnsSinceUser);
        if (turn == null) return null;

        ObjectNode resp = json.createObjectNode();
        String conversation = req.path("messages").toString();
        resp.put("id", "chatcmpl-" + Tokens.hash(conversation)).put("object", "chat.completion").put("created", 0)
                .put("model", req.path("model").asText());
        ObjectNode choice = resp.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String said;
        switch (turn) {
            case ToolTurn.Call c -> {
                message.putNull("content");
                String id = "call_" + Integer.toHexString(Tokens.hash(conversation)) + "_" + turnsSinceUser;
                message.putArray("tool_calls").addObject().put("id", id).put("type", "function")
                        .putObject("function").put("name", c.tool()).put("arguments", c.arguments());
                choice.put("finish_reason", "tool_calls");
                calls.incrementAndGet();
                said = c.arguments();
            }
            case ToolTurn.Answer a -> {
                said = a.text().replace("{result}", lastResult);
                message.put("content", said);
                choice.put("finish_reason", "stop");
            }
        }
        choice.putNull("logprobs");
        int in = Tokens.split(conversation).size();
        int out = Tokens.split(said).size();
        resp.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
        return resp;
    }

    // ---------------------------------------------------------------- Anthropic messages

    /** The scripted answer to a Messages request, or null to answer it as any other. */
    ObjectNode anthropic(JsonNode req) {
        Set<String> offered = new LinkedHashSet<>();
        for (JsonNode t : req.path("tools")) {
            String name = t.path("name").asText("");
            if (name.isEmpty() || !t.path("input_schema").isObject()) {
                throw new Rejected("tools: each tool is {name, description, input_schema (an object)}; got " + t);
            }
            offered.add(name);
        }
        var pending = new LinkedHashSet<String>();
        var issued = new java.util.HashSet<String>();
        String firstUser = null;
        String lastResult = "";
        int turnsSinceUser = 0;
        int received = 0;
        for (JsonNode m : req.path("messages")) {
            String role = m.path("role").asText();
            JsonNode content = m.path("content");
            List<JsonNode> blocks = new ArrayList<>();
            if (content.isArray()) content.forEach(blocks::add);
            else if (!content.isTextual()) throw new Rejected("messages: content must be a string or a list of blocks");
            switch (role) {
                case "assistant" -> {
                    if (!pending.isEmpty()) {
                        throw new Rejected("messages: tool_use ids were found without tool_result blocks immediately after: " + pending);
                    }
                    boolean used = false;
                    for (JsonNode b : blocks) {
                        if (!"tool_use".equals(b.path("type").asText())) continue;
                        String id = b.path("id").asText("");
                        if (id.isEmpty() || b.path("name").asText("").isEmpty() || !b.path("input").isObject()) {
                            throw new Rejected("messages: a tool_use block is {type, id, name, input (an object)}; got " + b);
                        }
                        if (!issued.add(id)) throw new Rejected("messages: tool_use id " + id + " is used twice");
                        pending.add(id);
                        used = true;
                    }
                    if (used) turnsSinceUser++;
                }
                case "user" -> {
                    boolean seenOther = false;
                    for (JsonNode b : blocks) {
                        if (!"tool_result".equals(b.path("type").asText())) {
                            seenOther = true;
                            continue;
                        }
                        String id = b.path("tool_use_id").asText("");
                        if (seenOther) throw new Rejected("messages: tool_result blocks must come first in the user message");
                        if (!pending.remove(id)) {
                            throw new Rejected("messages: unexpected tool_use_id found in tool_result blocks: " + id
                                    + ". Each tool_result block must have a corresponding tool_use block in the previous message.");
                        }
                        lastResult = resultText(b.path("content"));
                        received++;
                    }
                    if (!pending.isEmpty()) {
                        throw new Rejected("messages: tool_use ids were found without tool_result blocks immediately after: " + pending);
                    }
                    if (firstUser == null) {
                        firstUser = content.isTextual() ? content.asText() : blocks.stream()
                                .filter(b -> "text".equals(b.path("type").asText())).map(b -> b.path("text").asText())
                                .reduce("", String::concat);
                    }
                }
                default -> throw new Rejected("messages: role must be user or assistant, not '" + role + "'");
            }
        }
        if (!pending.isEmpty()) {
            throw new Rejected("messages: tool_use ids were found without tool_result blocks immediately after: " + pending);
        }
        results.addAndGet(received);
        ToolTurn turn = next(firstUser, offered, turnsSinceUser);
        if (turn == null) return null;

        String conversation = req.path("messages").toString();
        ObjectNode resp = json.createObjectNode();
        resp.put("id", "msg_" + Tokens.hash(conversation)).put("type", "message").put("role", "assistant")
                .put("model", req.path("model").asText());
        ArrayNode content = resp.putArray("content");
        String said;
        switch (turn) {
            case ToolTurn.Call c -> {
                ObjectNode block = content.addObject().put("type", "tool_use")
                        .put("id", "toolu_" + Integer.toHexString(Tokens.hash(conversation)) + "_" + turnsSinceUser)
                        .put("name", c.tool());
                JsonNode input;
                try {
                    input = json.readTree(c.arguments());
                } catch (Exception e) {
                    input = null;
                }
                if (input != null && input.isObject()) block.set("input", input);
                else block.put("input", c.arguments());
                resp.put("stop_reason", "tool_use");
                calls.incrementAndGet();
                said = c.arguments();
            }
            case ToolTurn.Answer a -> {
                said = a.text().replace("{result}", lastResult);
                content.addObject().put("type", "text").put("text", said);
                resp.put("stop_reason", "end_turn");
            }
        }
        resp.putNull("stop_sequence");
        resp.putObject("usage").put("input_tokens", Tokens.split(conversation).size())
                .put("output_tokens", Tokens.split(said).size());
        return resp;
    }

    private static String resultText(JsonNode content) {
        if (content.isTextual()) return content.asText();
        var sb = new StringBuilder();
        for (JsonNode b : content) if ("text".equals(b.path("type").asText())) sb.append(b.path("text").asText());
        return sb.toString();
    }

    /** The script's turn for this conversation, or null when it has none (no tools offered, no script, run out). */
    private ToolTurn next(String firstUser, Set<String> offered, int turn) {
        if (offered.isEmpty() || firstUser == null) return null;
        List<ToolTurn> script = scripts.get(firstUser);
        if (script == null || turn >= script.size()) return null;
        ToolTurn t = script.get(turn);
        if (t instanceof ToolTurn.Call c && !offered.contains(c.tool())) {
            throw new Rejected("the script calls tool '" + c.tool() + "', which the request did not offer (offered: " + offered + ")");
        }
        return t;
    }
}
