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
import dev.assay.model.ModelOptions;
import dev.assay.model.Prompt;
import dev.assay.model.ModelCallException;
import dev.assay.model.ScoreRequest;
import dev.assay.model.TokenLogprob;
import dev.assay.suite.Dialogue;
import dev.assay.tools.TextToolProtocol;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code openai/MODEL} and {@code openai-compatible/MODEL}: chat completions for chat prompts, legacy
 * completions for raw text (compatible servers only) and for scoring. Scoring sends prompt +
 * continuation with {@code echo}, {@code logprobs=1} and {@code max_tokens=1} and sums the
 * {@code token_logprobs} of the tokens whose {@code text_offset} falls in the continuation; a token is
 * greedy when no alternative in {@code top_logprobs} beats it. With {@code extra prompt_logprobs=true}
 * it reads vLLM's {@code prompt_logprobs} instead (rank 1 = greedy).
 */
final class OpenAiModel implements Model, ConcurrencyHistory {
    enum Flavour { OPENAI, COMPATIBLE }

    private final String spec;
    private final String name;
    private final Flavour flavour;
    private final Wire wire;
    private final Capabilities capabilities;
    private final boolean promptLogprobs;
    private final boolean textTools;
    private final BatchQueue batch;

    OpenAiModel(String name, ModelOptions options, Flavour flavour, Function<String, String> env) {
        this.name = name;
        this.flavour = flavour;
        this.spec = (flavour == Flavour.OPENAI ? "openai/" : "openai-compatible/") + name;
        List<URI> bases = baseUrls(spec, options, flavour, env);
        ApiKey key = ApiKey.from(options, "OPENAI_API_KEY", flavour == Flavour.OPENAI, spec, env);
        Map<String, String> headers = key.present() ? Map.of("authorization", "Bearer " + key.value()) : Map.of();
        this.wire = new Wire(spec, bases, headers, key, Wire.Settings.from(options), options.workDir());
        boolean canScore = flavour == Flavour.COMPATIBLE && !"false".equals(options.extra("score", "true"));
        // Tools: natively on the chat API; tools=text sends them through the text protocol instead,
        // for compatible servers started without a tool-call parser. Raw text always uses the protocol.
        this.textTools = "text".equals(options.extra("tools", "native"));
        this.capabilities = new Capabilities(canScore, true, flavour == Flavour.COMPATIBLE,
                flavour == Flavour.COMPATIBLE, true, 0, 0, 0);
        this.promptLogprobs = "true".equals(options.extra("prompt_logprobs", "false"));
        this.batch = "true".equals(options.extra("batch", "false"))
                ? new BatchQueue(spec, new OpenAiBatchJobs(wire, wire.endpoints().getFirst()), options) : null;
    }

    static List<URI> baseUrls(String spec, ModelOptions options, Flavour flavour, Function<String, String> env) {
        List<String> given = new ArrayList<>(options.baseUrls());
        if (given.isEmpty() && env.apply("OPENAI_BASE_URL") != null && !env.apply("OPENAI_BASE_URL").isBlank()) {
            for (String u : env.apply("OPENAI_BASE_URL").split("[,\\s]+")) if (!u.isBlank()) given.add(u);
        }
        if (given.isEmpty()) {
            if (flavour == Flavour.COMPATIBLE) {
                throw new AssayException("--model " + spec + ": no server given. Pass --model-base-url URL "
                        + "(for example http://localhost:8000/v1; repeat it to balance several) or set OPENAI_BASE_URL.");
            }
            given.add("https://api.openai.com/v1");
        }
        var out = new ArrayList<URI>();
        for (String u : given) out.add(withVersion(spec, u));
        return out;
    }

    /** "http://host:8000" and "http://host:8000/v1" both mean the server's /v1 API. */
    static URI withVersion(String spec, String url) {
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
            return path.isEmpty() ? URI.create(url.strip().replaceAll("/+$", "") + "/v1") : u;
        } catch (IllegalArgumentException e) {
            throw new AssayException("--model-base-url " + dev.assay.model.ModelOptions.withoutUserInfo(url) + " for " + spec + ": " + e.getMessage()
                    + ". Give a URL such as http://localhost:8000/v1.");
        }
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public List<ConcurrencyLimit.Change> concurrencyHistory() {
        return wire.history();
    }

    Wire wire() {
        return wire;
    }

    @Override
    public Generation generate(GenerateRequest r) {
        boolean completions = r.prompt() instanceof Prompt.Text && flavour == Flavour.COMPATIBLE;
        try {
            if ((completions || textTools) && TextToolProtocol.needed(r)) return TextToolProtocol.generate(r, this::send);
            return send(r);
        } catch (ToolWire.MalformedCall e) {
            throw new ModelCallException(spec + ": " + e.getMessage(), e);
        }
    }

    private Generation send(GenerateRequest r) {
        boolean completions = r.prompt() instanceof Prompt.Text && flavour == Flavour.COMPATIBLE;
        ObjectNode body = completions ? completionsBody(r) : chatBody(r);
        String path = completions ? "/completions" : "/chat/completions";
        if (batch != null) {
            JsonNode answer = batch.submit(path, body);
            return completions ? readCompletions(answer) : readChat(answer);
        }
        return completions ? wire.post(path, body, OpenAiModel::readCompletions)
                : wire.post(path, body, OpenAiModel::readChat);
    }

    private ObjectNode common(GenerateRequest r) {
        ObjectNode b = Json.object();
        b.put("model", name);
        b.put("max_tokens", r.maxTokens());
        b.put("temperature", r.temperature());
        b.put("top_p", r.topP());
        if (r.seed() != 0) b.put("seed", r.seed());
        if (!r.stop().isEmpty()) {
            ArrayNode stop = b.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.n() > 1) b.put("n", r.n());
        return b;
    }

    ObjectNode chatBody(GenerateRequest r) {
        ObjectNode b = common(r);
        ArrayNode messages = b.putArray("messages");
        switch (r.prompt()) {
            case Prompt.Text t -> messages.add(message(Message.user(t.text())));
            case Prompt.Chat c -> {
                c.messages().forEach(m -> messages.add(message(m)));
                if (!c.prefill().isEmpty() && flavour == Flavour.COMPATIBLE) {
                    // vLLM and SGLang continue a trailing assistant turn when asked to.
                    messages.add(message(Message.assistant(c.prefill())));
                    b.put("continue_final_message", true);
                    b.put("add_generation_prompt", false);
                }
            }
        }
        if (r.topLogprobs() > 0) {
            b.put("logprobs", true);
            b.put("top_logprobs", r.topLogprobs());
        }
        if (!r.tools().isEmpty()) b.set("tools", ToolWire.openAiTools(r.tools()));
        return b;
    }

    ObjectNode completionsBody(GenerateRequest r) {
        ObjectNode b = common(r);
        b.put("prompt", ((Prompt.Text) r.prompt()).text());
        if (r.topLogprobs() > 0) b.put("logprobs", r.topLogprobs());
        return b;
    }

    private static ObjectNode message(Message m) {
        return ToolWire.openAiMessage(m);
    }

    static Generation readChat(JsonNode answer) {
        var completions = new ArrayList<Generation.Completion>();
        for (JsonNode choice : sortedChoices(answer)) {
            JsonNode message = Json.require(choice, "message");
            String text = message.path("content").asText("");
            var tokens = new ArrayList<TokenLogprob>();
            for (JsonNode t : choice.path("logprobs").path("content")) {
                var top = new LinkedHashMap<String, Double>();
                for (JsonNode alt : t.path("top_logprobs")) top.put(alt.path("token").asText(), alt.path("logprob").asDouble());
                tokens.add(new TokenLogprob(Json.require(t, "token").asText(), Json.require(t, "logprob").asDouble(), top));
            }
            completions.add(new Generation.Completion(text, choice.path("finish_reason").asText("stop"), tokens,
                    ToolWire.openAiCalls(message)));
        }
        return new Generation(completions, answer.path("usage").path("prompt_tokens").asLong(0),
                answer.path("usage").path("completion_tokens").asLong(0));
    }

    static Generation readCompletions(JsonNode answer) {
        var completions = new ArrayList<Generation.Completion>();
        for (JsonNode choice : sortedChoices(answer)) {
            var tokens = new ArrayList<TokenLogprob>();
            JsonNode lp = choice.path("logprobs");
            for (int i = 0; i < lp.path("tokens").size(); i++) {
                tokens.add(new TokenLogprob(lp.path("tokens").get(i).asText(),
                        lp.path("token_logprobs").path(i).asDouble(), topMap(lp.path("top_logprobs").path(i))));
            }
            completions.add(new Generation.Completion(Json.require(choice, "text").asText(),
                    choice.path("finish_reason").asText("stop"), tokens));
        }
        return new Generation(completions, answer.path("usage").path("prompt_tokens").asLong(0),
                answer.path("usage").path("completion_tokens").asLong(0));
    }

    private static List<JsonNode> sortedChoices(JsonNode answer) {
        JsonNode choices = Json.require(answer, "choices");
        if (!choices.isArray() || choices.isEmpty()) throw new Json.MalformedBody("answer has no choices");
        var list = new ArrayList<JsonNode>();
        choices.forEach(list::add);
        list.sort(java.util.Comparator.comparingInt(c -> c.path("index").asInt(0)));
        return list;
    }

    private static Map<String, Double> topMap(JsonNode node) {
        var top = new LinkedHashMap<String, Double>();
        if (node != null && node.isObject()) node.properties().forEach(e -> top.put(e.getKey(), e.getValue().asDouble()));
        return top;
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        if (!capabilities.canScore()) {
            throw new UnsupportedOperationException(spec + " cannot score: "
                    + (flavour == Flavour.OPENAI ? "OpenAI's chat models give no log-probabilities of a given text"
                    : "scoring was turned off with score=false"));
        }
        String prompt = switch (r.prompt()) {
            case Prompt.Text t -> t.text();
            case Prompt.Chat c -> new Dialogue(c.messages(), c.prefill()).rawText();
        };
        ObjectNode b = Json.object();
        b.put("model", name);
        ArrayNode prompts = b.putArray("prompt");
        for (String c : r.continuations()) prompts.add(prompt + c);
        b.put("max_tokens", 1);
        b.put("temperature", 0.0);
        if (promptLogprobs) {
            b.put("prompt_logprobs", 1);
        } else {
            b.put("echo", true);
            b.put("logprobs", 1);
        }
        int start = prompt.codePointCount(0, prompt.length());
        return wire.post("/completions", b, answer -> {
            List<JsonNode> choices = sortedChoices(answer);
            if (choices.size() != r.continuations().size()) {
                throw new Json.MalformedBody("asked to score " + r.continuations().size() + " texts, got "
                        + choices.size() + " choices");
            }
            var out = new ArrayList<ContinuationScore>();
            for (int i = 0; i < choices.size(); i++) {
                String full = prompt + r.continuations().get(i);
                int end = full.codePointCount(0, full.length());
                out.add(promptLogprobs ? fromPromptLogprobs(choices.get(i), start, end)
                        : fromEcho(choices.get(i), start, end));
            }
            return out;
        });
    }

    /** Offsets are in code points (the servers count Python str indices). */
    static ContinuationScore fromEcho(JsonNode choice, int start, int end) {
        JsonNode lp = Json.require(choice, "logprobs");
        JsonNode tokens = Json.require(lp, "tokens");
        JsonNode offsets = Json.require(lp, "text_offset");
        JsonNode logprobs = Json.require(lp, "token_logprobs");
        JsonNode tops = lp.path("top_logprobs");
        double sum = 0;
        boolean greedy = true;
        var detail = new ArrayList<TokenLogprob>();
        for (int i = 0; i < tokens.size(); i++) {
            int offset = offsets.path(i).asInt(-1);
            if (offset < start || offset >= end) continue;
            JsonNode v = logprobs.path(i);
            if (v.isNull() || v.isMissingNode()) throw new Json.MalformedBody("no log-prob for continuation token " + i);
            double logprob = v.asDouble();
            Map<String, Double> top = topMap(tops.path(i));
            for (double alt : top.values()) if (alt > logprob + 1e-9) greedy = false;
            sum += logprob;
            detail.add(new TokenLogprob(tokens.get(i).asText(), logprob, top));
        }
        if (detail.isEmpty()) throw new Json.MalformedBody("no tokens found inside the continuation");
        return new ContinuationScore(sum, detail, greedy);
    }

    /**
     * vLLM: a list (first entry null) of {token_id: {logprob, rank, decoded_token}} per prompt token.
     * The first token's text is not given, so offsets are counted back from the end of the text.
     */
    static ContinuationScore fromPromptLogprobs(JsonNode choice, int start, int end) {
        JsonNode list = Json.require(choice, "prompt_logprobs");
        var positions = new ArrayList<JsonNode>();
        list.forEach(positions::add);
        int tokenStart = end;
        double sum = 0;
        boolean greedy = true;
        var detail = new ArrayList<TokenLogprob>();
        for (int i = positions.size() - 1; i >= 0; i--) {
            JsonNode position = positions.get(i);
            if (position == null || position.isNull()) break;
            // With prompt_logprobs=1 a position holds the prompt's token and, when it differs, the top-1.
            JsonNode actual = null;
            JsonNode best = null;
            for (var e : position.properties()) {
                JsonNode v = e.getValue();
                if (position.size() == 1 || v.path("rank").asInt(1) != 1) actual = v;
                if (v.path("rank").asInt(0) == 1) best = v;
            }
            if (actual == null) throw new Json.MalformedBody("prompt_logprobs position without the prompt token");
            String text = actual.path("decoded_token").asText("");
            tokenStart -= text.codePointCount(0, text.length());
            if (tokenStart < start) break;
            double logprob = actual.path("logprob").asDouble();
            var top = new LinkedHashMap<String, Double>();
            if (best != null) top.put(best.path("decoded_token").asText(""), best.path("logprob").asDouble());
            if (actual.path("rank").asInt(1) != 1) greedy = false;
            sum += logprob;
            detail.addFirst(new TokenLogprob(text, logprob, top));
        }
        if (detail.isEmpty()) throw new Json.MalformedBody("no prompt_logprobs inside the continuation");
        return new ContinuationScore(sum, detail, greedy);
    }

    @Override
    public void close() {
        if (batch != null) batch.close();
        wire.close();
    }
}
