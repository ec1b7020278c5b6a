package dev.assay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.AssayException;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.ModelOptions;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code anthropic/MODEL}: the Messages API (POST /v1/messages, headers x-api-key and
 * anthropic-version). System messages go to the top-level {@code system} field; a prefill is sent as
 * a trailing assistant message, which the API continues. Generation only: the API gives no
 * log-probabilities. n > 1 is n calls.
 */
final class AnthropicModel implements Model, ConcurrencyHistory {
    static final String VERSION = "2023-06-01";

    private final String spec;
    private final String name;
    private final Wire wire;
    private final BatchQueue batch;

    AnthropicModel(String name, ModelOptions options, Function<String, String> env) {
        this.name = name;
        this.spec = "anthropic/" + name;
        ApiKey key = ApiKey.from(options, "ANTHROPIC_API_KEY", true, spec, env);
        List<String> given = new ArrayList<>(options.baseUrls());
        String envUrl = env.apply("ANTHROPIC_BASE_URL");
        if (given.isEmpty() && envUrl != null && !envUrl.isBlank()) given.add(envUrl);
        if (given.isEmpty()) given.add("https://api.anthropic.com");
        var bases = new ArrayList<URI>();
        for (String u : given) {
            // Anthropic's base URL is the host; a trailing /v1 (OpenAI habit) is tolerated.
            String s = u.strip().replaceAll("/+$", "").replaceAll("/v1$", "");
            try {
                URI uri = URI.create(s);
                if (uri.getHost() == null) throw new IllegalArgumentException("no host");
                bases.add(uri);
            } catch (IllegalArgumentException e) {
                throw new AssayException("--model-base-url " + dev.assay.model.ModelOptions.withoutUserInfo(u) + " for " + spec + ": " + e.getMessage()
                        + ". Give a URL such as https://api.anthropic.com.");
            }
        }
        this.wire = new Wire(spec, bases, Map.of("x-api-key", key.value(), "anthropic-version", VERSION),
                key, Wire.Settings.from(options), options.workDir());
        this.batch = "true".equals(options.extra("batch", "false"))
                ? new BatchQueue(spec, new AnthropicBatchJobs(wire, wire.endpoints().getFirst()), options) : null;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, true, false, true, true, 0, 0, 0);
    }

    Wire wire() {
        return wire;
    }

    @Override
    public List<ConcurrencyLimit.Change> concurrencyHistory() {
        return wire.history();
    }

    @Override
    public Generation generate(GenerateRequest r) {
        var completions = new ArrayList<Generation.Completion>();
        long in = 0;
        long out = 0;
        for (int i = 0; i < r.n(); i++) {
            ObjectNode body = body(r, i);
            Generation g;
            try {
                JsonNode answer = batch != null ? batch.submit("/v1/messages", body) : null;
                g = answer != null ? read(answer) : wire.post("/v1/messages", body, AnthropicModel::read);
            } catch (ToolWire.MalformedCall e) {
                throw new ModelCallException(spec + ": " + e.getMessage(), e);
            }
            completions.addAll(g.completions());
            in += g.promptTokens();
            out += g.completionTokens();
        }
        return new Generation(completions, in, out);
    }

    ObjectNode body(GenerateRequest r, int sampleIndex) {
        ObjectNode b = Json.object();
        b.put("model", name);
        b.put("max_tokens", r.maxTokens());
        var system = new StringBuilder();
        ArrayNode messages = b.putArray("messages");
        switch (r.prompt()) {
            case Prompt.Text t -> messages.add(message(Message.user(t.text())));
            case Prompt.Chat c -> {
                var turns = new ArrayList<Message>();
                for (Message m : c.messages()) {
                    if (m instanceof Message.SystemTurn) system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                    else turns.add(m);
                }
                ToolWire.anthropicMessages(turns, messages);
                // The API rejects a final assistant turn ending in white space.
                if (!c.prefill().isEmpty()) messages.add(message(Message.assistant(c.prefill().stripTrailing())));
            }
        }
        if (!system.isEmpty()) b.put("system", system.toString());
        if (!r.tools().isEmpty()) b.set("tools", ToolWire.anthropicTools(r.tools()));
        b.put("temperature", r.temperature());
        if (r.topP() < 1.0) b.put("top_p", r.topP());
        if (!r.stop().isEmpty()) {
            ArrayNode stop = b.putArray("stop_sequences");
            r.stop().forEach(stop::add);
        }
        // Repeated samples of one request must be distinct calls (and distinct batch ids).
        if (sampleIndex > 0) b.putObject("metadata").put("user_id", "assay-sample-" + sampleIndex);
        return b;
    }

    private static ObjectNode message(Message m) {
        return Json.object().put("role", m.role()).put("content", m.content());
    }

    static Generation read(JsonNode answer) {
        JsonNode content = Json.require(answer, "content");
        var text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) text.append(block.path("text").asText());
        }
        String finish = switch (answer.path("stop_reason").asText("")) {
            case "max_tokens" -> "length";
            case "end_turn", "stop_sequence", "" -> "stop";
            default -> answer.path("stop_reason").asText();
        };
        return new Generation(List.of(new Generation.Completion(text.toString(), finish, List.of(),
                ToolWire.anthropicCalls(content))),
                answer.path("usage").path("input_tokens").asLong(0), answer.path("usage").path("output_tokens").asLong(0));
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        throw new UnsupportedOperationException(spec + " cannot score: the Messages API gives no log-probabilities");
    }

    @Override
    public void close() {
        if (batch != null) batch.close();
        wire.close();
    }
}
