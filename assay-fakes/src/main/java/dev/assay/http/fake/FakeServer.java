package dev.assay.http.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.assay.cache.CacheKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that speaks the OpenAI (chat completions, completions with echo/logprobs and
 * vLLM's prompt_logprobs, files, batches) and Anthropic (messages, message batches) wire formats,
 * with deterministic answers and log-probs (hashes of the prompt, or a scripted table), a fixed
 * latency, fault injection ({@link Faults}), scripted tool conversations ({@link #scriptTools}, with
 * the tool turns of every request checked as the real APIs check them) and counts of every request it received and completed,
 * per canonical request. Tests and {@code assay bench http} run providers against it.
 */
public final class FakeServer implements AutoCloseable {

    static {
        // The JDK server closes idle keep-alive connections above this many; the client would then
        // see resets that no fault injected.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
        }
        // Headers and body leave in two writes; with Nagle on, the second waits for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * @param latency    added before every answer
     * @param scripted   answers by prompt (the last user message, or the raw text); others are hashed
     * @param batchDelay how long a batch job stays in progress
     * @param apiKey     when not null, requests without this key get 401 (whose message echoes the
     *                   key sent, as real servers partly do, to test that clients redact it)
     */
    public record Options(Duration latency, Faults faults, Map<String, String> scripted, Duration batchDelay,
                          String apiKey) {
        public Options {
            latency = latency == null ? Duration.ZERO : latency;
            faults = faults == null ? Faults.none() : faults;
            scripted = scripted == null ? Map.of() : Map.copyOf(scripted);
            batchDelay = batchDelay == null ? Duration.ofMillis(200) : batchDelay;
        }

        public static Options defaults() {
            return new Options(Duration.ZERO, Faults.none(), Map.of(), Duration.ofMillis(200), null);
        }

        public Options withFaults(Faults f) {
            return new Options(latency, f, scripted, batchDelay, apiKey);
        }

        public Options withLatency(Duration d) {
            return new Options(d, faults, scripted, batchDelay, apiKey);
        }

        public Options withApiKey(String key) {
            return new Options(latency, faults, scripted, batchDelay, key);
        }

        public Options withScripted(Map<String, String> s) {
            return new Options(latency, faults, s, batchDelay, apiKey);
        }

        public Options withBatchDelay(Duration d) {
            return new Options(latency, faults, scripted, d, apiKey);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private final Options options;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Random faultDraws;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong faultsInjected = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> completedByRequest = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final java.util.Set<java.net.InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
    private final ToolConversations tools = new ToolConversations(JSON);

    /** A batch job: its input lines, when it is due, and its output once made. */
    private static final class Job {
        final String id;
        final boolean anthropic;
        final String endpoint;
        final String inputFileId;
        final List<JsonNode> requests;
        final long dueMs;
        volatile String output;

        Job(String id, boolean anthropic, String endpoint, String inputFileId, List<JsonNode> requests, long dueMs) {
            this.id = id;
            this.anthropic = anthropic;
            this.endpoint = endpoint;
            this.inputFileId = inputFileId;
            this.requests = requests;
            this.dueMs = dueMs;
        }
    }

    private FakeServer(Options options) throws IOException {
        this.options = options;
        this.faultDraws = new Random(options.faults().seed());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16384);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Serves until killed, for trying {@code assay run --model openai-compatible/NAME --model-base-url
     * URL} by hand: {@code [latencyMs [faultRate [seed]]]}. Prints the base URL.
     */
    public static void main(String[] args) throws InterruptedException {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 0;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        var server = start(Options.defaults().withLatency(Duration.ofMillis(latency))
                .withFaults(Faults.mixed(rate, seed, Duration.ofSeconds(5))));
        System.out.println(server.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    public static FakeServer start(Options options) {
        try {
            return new FakeServer(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake server on loopback", e);
        }
    }

    /** The OpenAI-style base URL, ending in /v1. */
    public URI baseUrl() {
        return URI.create(root() + "/v1");
    }

    /** The Anthropic-style base URL: the server's root. */
    public URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public long received() { return received.get(); }

    /** Model requests answered in full with a 200 (batch items included). */
    public long completed() { return completed.get(); }

    public long faultsInjected() { return faultsInjected.get(); }

    public int inFlight() { return inFlight.get(); }

    public int peakInFlight() { return peakInFlight.get(); }

    /** How many times each canonical model request was answered in full. */
    public Map<String, Integer> completedByRequest() {
        var out = new java.util.HashMap<String, Integer>();
        completedByRequest.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public int maxCompletionsOfOneRequest() {
        return completedByRequest.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    /** Client connections seen (distinct remote address and port): few means keep-alive works. */
    public int connectionsSeen() {
        return peers.size();
    }

    public int jobsCreated() {
        return jobs.size();
    }

    /**
     * Scripts a tool conversation on both wire formats: a request that offers tools and whose first user
     * message is {@code prompt} gets {@code turns[k]}, where k counts the tool-call turns already in
     * the conversation (so turn 0 answers the question, turn 1 the first tool result, …). Past the
     * script's end, or without tools offered, the prompt is answered as any other. Returns this server.
     */
    public FakeServer scriptTools(String prompt, ToolTurn... turns) {
        tools.script(prompt, List.of(turns));
        return this;
    }

    /** Tool results received (role "tool" messages, tool_result blocks) in requests that passed the checks. */
    public long toolResultsReceived() { return tools.resultsReceived(); }

    /** Scripted tool calls sent. */
    public long toolCallsSent() { return tools.callsSent(); }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        received.incrementAndGet();
        peers.add(ex.getRemoteAddress());
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
        try (ex) {
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            if (!options.latency().isZero()) Thread.sleep(options.latency());
            String path = ex.getRequestURI().getPath();
            boolean anthropic = path.startsWith("/v1/messages");
            if (options.apiKey() != null && !authorised(ex, anthropic)) {
                String sent = anthropic ? ex.getRequestHeaders().getFirst("x-api-key")
                        : String.valueOf(ex.getRequestHeaders().getFirst("authorization")).replace("Bearer ", "");
                send(ex, 401, error(anthropic, "authentication_error", "Incorrect API key provided: " + sent), null);
                return;
            }
            Faults.Kind fault = drawFault();
            if (fault != null) {
                faultsInjected.incrementAndGet();
                inject(ex, fault, anthropic, requestBody);
                return;
            }
            routeChecked(ex, path, requestBody, anthropic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(ex, 400, error(false, "invalid_request_error", String.valueOf(e.getMessage())), null);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean authorised(HttpExchange ex, boolean anthropic) {
        String want = options.apiKey();
        return anthropic ? want.equals(ex.getRequestHeaders().getFirst("x-api-key"))
                : ("Bearer " + want).equals(ex.getRequestHeaders().getFirst("authorization"));
    }

    private Faults.Kind drawFault() {
        Faults f = options.faults();
        if (f.rate() <= 0 || f.kinds().isEmpty()) return null;
        synchronized (faultDraws) {
            if (faultDraws.nextDouble() >= f.rate()) return null;
            var kinds = new ArrayList<>(f.kinds());
            return kinds.get(faultDraws.nextInt(kinds.size()));
        }
    }

    private static String modelOf(byte[] requestBody) {
        try {
            return JSON.readTree(requestBody).path("model").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private void inject(HttpExchange ex, Faults.Kind fault, boolean anthropic, byte[] requestBody)
            throws IOException, InterruptedException {
        switch (fault) {
            case RATE_LIMIT -> {
                ex.getResponseHeaders().set("retry-after", String.valueOf(options.faults().retryAfter()));
                send(ex, 429, error(anthropic, "rate_limit_error", "Rate limit reached; try again later"), null);
            }
            case OVERLOADED -> send(ex, 529, error(true, "overloaded_error", "Overloaded"), null);
            case SERVER_ERROR -> send(ex, 500, error(anthropic, "api_error", "Internal server error"), null);
            case UNAVAILABLE -> send(ex, 503, error(anthropic, "api_error", "Service unavailable"), null);
            case TIMEOUT -> {
                Thread.sleep(options.faults().hang());
                ex.close(); // before any header: the connection is simply dropped
            }
            case RESET -> ex.close();
            case TRUNCATED -> {
                byte[] body = "{\"id\":\"cmpl-x\",\"choices\":[{\"index\":0,\"text\":\"partial".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("content-type", "application/json");
                ex.sendResponseHeaders(200, body.length * 4L);
                ex.getResponseBody().write(body);
                ex.getResponseBody().flush();
                ex.close(); // fewer bytes than promised, then the connection goes
            }
            case MODEL_NOT_FOUND -> send(ex, 404, error(anthropic, "not_found_error",
                    "The model `" + modelOf(requestBody) + "` does not exist or you do not have access to it."), null);
            case WRONG_CHOICES -> send(ex, 200, JSON.createObjectNode().put("id", "cmpl-x").put("object", "text_completion")
                    .put("model", modelOf(requestBody)).set("choices", JSON.createArrayNode()), null);
            case MALFORMED -> {
                byte[] body = "{\"choices\": [ {\"index\": 0, ".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("content-type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        }
    }

    /** A request the real API would refuse gets its 400 here, while the exchange is still open. */
    private void routeChecked(HttpExchange ex, String path, byte[] raw, boolean anthropic) throws IOException {
        try {
            route(ex, path, raw);
        } catch (ToolConversations.Rejected e) {
            send(ex, 400, error(anthropic, "invalid_request_error", e.getMessage()), null);
        }
    }

    private void route(HttpExchange ex, String path, byte[] raw) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("POST") && path.equals("/v1/chat/completions")) {
            JsonNode req = JSON.readTree(raw);
            answer(ex, "/v1/chat/completions", req, chat(req));
        } else if (method.equals("POST") && path.equals("/v1/completions")) {
            JsonNode req = JSON.readTree(raw);
            answer(ex, "/v1/completions", req, completions(req));
        } else if (method.equals("POST") && path.equals("/v1/messages")) {
            JsonNode req = JSON.readTree(raw);
            answer(ex, "/v1/messages", req, messages(req));
        } else if (method.equals("POST") && path.equals("/v1/files")) {
            String id = "file-" + ids.incrementAndGet();
            files.put(id, multipartFile(ex.getRequestHeaders().getFirst("content-type"), raw));
            send(ex, 200, JSON.createObjectNode().put("id", id).put("object", "file").put("purpose", "batch")
                    .put("bytes", files.get(id).length), null);
        } else if (method.equals("GET") && path.startsWith("/v1/files/") && path.endsWith("/content")) {
            byte[] content = files.get(path.substring("/v1/files/".length(), path.length() - "/content".length()));
            if (content == null) send(ex, 404, error(false, "not_found", "no such file"), null);
            else sendBytes(ex, 200, content, "application/jsonl");
        } else if (method.equals("POST") && path.equals("/v1/batches")) {
            JsonNode req = JSON.readTree(raw);
            String fileId = req.path("input_file_id").asText();
            byte[] input = files.get(fileId);
            if (input == null) {
                send(ex, 404, error(false, "not_found", "no file " + fileId), null);
                return;
            }
            var lines = new ArrayList<JsonNode>();
            for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) lines.add(JSON.readTree(line));
            }
            var job = new Job("batch_" + ids.incrementAndGet(), false, req.path("endpoint").asText(), fileId, lines,
                    System.currentTimeMillis() + options.batchDelay().toMillis());
            jobs.put(job.id, job);
            send(ex, 200, openAiJob(job), null);
        } else if (method.equals("GET") && path.startsWith("/v1/batches/")) {
            Job job = jobs.get(path.substring("/v1/batches/".length()));
            if (job == null) send(ex, 404, error(false, "not_found", "no such batch"), null);
            else send(ex, 200, openAiJob(job), null);
        } else if (method.equals("POST") && path.equals("/v1/messages/batches")) {
            JsonNode req = JSON.readTree(raw);
            var lines = new ArrayList<JsonNode>();
            req.path("requests").forEach(lines::add);
            var job = new Job("msgbatch_" + ids.incrementAndGet(), true, "/v1/messages", "", lines,
                    System.currentTimeMillis() + options.batchDelay().toMillis());
            jobs.put(job.id, job);
            send(ex, 200, anthropicJob(job), null);
        } else if (method.equals("GET") && path.startsWith("/v1/messages/batches/") && path.endsWith("/results")) {
            Job job = jobs.get(path.substring("/v1/messages/batches/".length(), path.length() - "/results".length()));
            if (job == null || job.output == null) send(ex, 404, error(true, "not_found_error", "no results"), null);
            else sendBytes(ex, 200, job.output.getBytes(StandardCharsets.UTF_8), "application/x-jsonl");
        } else if (method.equals("GET") && path.startsWith("/v1/messages/batches/")) {
            Job job = jobs.get(path.substring("/v1/messages/batches/".length()));
            if (job == null) send(ex, 404, error(true, "not_found_error", "no such batch"), null);
            else send(ex, 200, anthropicJob(job), null);
        } else {
            send(ex, 404, error(path.startsWith("/v1/messages"), "not_found", method + " " + path), null);
        }
    }

    /** Sends a model answer and, once all of it is written, counts the request as completed. */
    private void answer(HttpExchange ex, String route, JsonNode request, ObjectNode response) throws IOException {
        send(ex, 200, response, route + " " + CacheKey.canonicalJson(request));
    }

    private void countCompleted(String key, int delta) {
        completed.addAndGet(delta);
        completedByRequest.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(delta);
    }

    /**
     * Counts a completed request before its bytes go out (so a client that has its answer always finds
     * it counted) and takes the count back if they could not all be written.
     */
    private void send(HttpExchange ex, int code, JsonNode body, String completedKey) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        if (completedKey != null) countCompleted(completedKey, 1);
        try {
            sendBytes(ex, code, bytes, "application/json");
        } catch (IOException e) {
            if (completedKey != null) countCompleted(completedKey, -1);
            throw e;
        }
    }

    private static void sendBytes(HttpExchange ex, int code, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().set("content-type", type);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
            ex.getResponseBody().flush();
        }
    }

    private static ObjectNode error(boolean anthropic, String type, String message) {
        ObjectNode err = JSON.createObjectNode();
        if (anthropic) {
            err.put("type", "error");
            err.putObject("error").put("type", type).put("message", message);
        } else {
            err.putObject("error").put("message", message).put("type", type);
        }
        return err;
    }

    // ---------------------------------------------------------------- the "model"

    private String scriptedOr(String key, String prompt, int variant) {
        String s = options.scripted().get(key);
        return s != null ? s : Tokens.answer(prompt, variant);
    }

    /** Cuts an answer at max_tokens words and at the first stop sequence. */
    private static String[] limit(String text, JsonNode req, String stopField) {
        int max = req.path("max_tokens").asInt(16);
        var tokens = Tokens.split(text);
        String finish = "stop";
        if (tokens.size() > max) {
            text = text.substring(0, text.offsetByCodePoints(0, tokens.get(max).offset()));
            finish = "length";
        }
        JsonNode stops = req.path(stopField);
        var list = new ArrayList<String>();
        if (stops.isTextual()) list.add(stops.asText());
        stops.forEach(s -> { if (s.isTextual()) list.add(s.asText()); });
        for (String s : list) {
            int at = text.indexOf(s);
            if (!s.isEmpty() && at >= 0) {
                text = text.substring(0, at);
                finish = "stop";
            }
        }
        return new String[]{text, finish};
    }

    private ObjectNode chat(JsonNode req) {
        ObjectNode toolTurn = tools.openAi(req);
        if (toolTurn != null) return toolTurn;
        var prompt = new StringBuilder();
        String lastUser = "";
        for (JsonNode m : req.path("messages")) {
            prompt.append(m.path("role").asText()).append(": ").append(m.path("content").asText()).append('\n');
            if (m.path("role").asText().equals("user")) lastUser = m.path("content").asText();
        }
        int n = Math.max(1, req.path("n").asInt(1));
        boolean sampled = req.path("temperature").asDouble(1.0) > 0;
        ObjectNode resp = JSON.createObjectNode();
        resp.put("id", "chatcmpl-" + Tokens.hash(prompt.toString())).put("object", "chat.completion")
                .put("created", 0).put("model", req.path("model").asText());
        ArrayNode choices = resp.putArray("choices");
        long completionTokens = 0;
        for (int i = 0; i < n; i++) {
            String[] cut = limit(scriptedOr(lastUser, prompt.toString(), sampled ? i + req.path("seed").asInt(0) : 0),
                    req, "stop");
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            choice.putObject("message").put("role", "assistant").put("content", cut[0]);
            choice.put("finish_reason", cut[1]);
            var toks = Tokens.split(cut[0]);
            completionTokens += toks.size();
            if (req.path("logprobs").asBoolean(false)) {
                ArrayNode content = choice.putObject("logprobs").putArray("content");
                long context = 0;
                for (var t : Tokens.split(prompt.toString())) context = Tokens.next(context, t.text());
                for (var t : toks) {
                    ObjectNode tok = content.addObject().put("token", t.text()).put("logprob", Tokens.logprob(context, t.text()));
                    ArrayNode top = tok.putArray("top_logprobs");
                    top.addObject().put("token", t.text()).put("logprob", Tokens.logprob(context, t.text()));
                    top.addObject().put("token", Tokens.alternative(t.text())).put("logprob", Tokens.alternativeLogprob(context, t.text()));
                    context = Tokens.next(context, t.text());
                }
            } else {
                choice.putNull("logprobs");
            }
        }
        resp.putObject("usage").put("prompt_tokens", Tokens.split(prompt.toString()).size())
                .put("completion_tokens", completionTokens)
                .put("total_tokens", Tokens.split(prompt.toString()).size() + completionTokens);
        return resp;
    }

    private ObjectNode completions(JsonNode req) {
        var prompts = new ArrayList<String>();
        if (req.path("prompt").isArray()) req.path("prompt").forEach(p -> prompts.add(p.asText()));
        else prompts.add(req.path("prompt").asText());
        boolean echo = req.path("echo").asBoolean(false);
        int logprobs = req.path("logprobs").isNumber() ? req.path("logprobs").asInt() : -1;
        boolean promptLogprobs = req.has("prompt_logprobs") && !req.path("prompt_logprobs").isNull();
        ObjectNode resp = JSON.createObjectNode();
        resp.put("id", "cmpl-" + ids.incrementAndGet()).put("object", "text_completion").put("created", 0)
                .put("model", req.path("model").asText());
        ArrayNode choices = resp.putArray("choices");
        long promptTokens = 0;
        long completionTokens = 0;
        for (int i = 0; i < prompts.size(); i++) {
            String prompt = prompts.get(i);
            String[] cut = limit(scriptedOr(prompt, prompt, 0), req, "stop");
            String generated = req.path("max_tokens").asInt(16) == 0 ? "" : (prompt.isEmpty() || cut[0].isEmpty() ? cut[0] : " " + cut[0]);
            String text = echo ? prompt + generated : generated;
            ObjectNode choice = choices.addObject();
            choice.put("index", i).put("text", text).put("finish_reason", cut[1]);
            var promptToks = Tokens.split(prompt);
            promptTokens += promptToks.size();
            completionTokens += Tokens.split(generated).size();
            if (logprobs >= 0) {
                ObjectNode lp = choice.putObject("logprobs");
                ArrayNode tokens = lp.putArray("tokens");
                ArrayNode tokenLogprobs = lp.putArray("token_logprobs");
                ArrayNode top = lp.putArray("top_logprobs");
                ArrayNode offsets = lp.putArray("text_offset");
                var all = Tokens.split(echo ? text : generated);
                long context = 0;
                if (!echo) for (var t : promptToks) context = Tokens.next(context, t.text());
                boolean first = true;
                int base = echo ? 0 : prompt.codePointCount(0, prompt.length());
                for (var t : all) {
                    tokens.add(t.text());
                    offsets.add(base + t.offset());
                    if (echo && first) {
                        tokenLogprobs.addNull(); // nothing comes before the first token
                        top.addNull();
                    } else {
                        tokenLogprobs.add(Tokens.logprob(context, t.text()));
                        ObjectNode alts = top.addObject();
                        if (logprobs > 0) {
                            alts.put(t.text(), Tokens.logprob(context, t.text()));
                            alts.put(Tokens.alternative(t.text()), Tokens.alternativeLogprob(context, t.text()));
                        }
                    }
                    first = false;
                    context = Tokens.next(context, t.text());
                }
            } else {
                choice.putNull("logprobs");
            }
            if (promptLogprobs) {
                ArrayNode pl = choice.putArray("prompt_logprobs");
                long context = 0;
                boolean first = true;
                for (var t : promptToks) {
                    if (first) {
                        pl.addNull();
                    } else {
                        ObjectNode pos = pl.addObject();
                        boolean greedy = Tokens.greedy(context, t.text());
                        pos.putObject(String.valueOf(Tokens.id(t.text()))).put("logprob", Tokens.logprob(context, t.text()))
                                .put("rank", greedy ? 1 : 2).put("decoded_token", t.text());
                        if (!greedy) {
                            String alt = Tokens.alternative(t.text());
                            pos.putObject(String.valueOf(Tokens.id(alt))).put("logprob", Tokens.alternativeLogprob(context, t.text()))
                                    .put("rank", 1).put("decoded_token", alt);
                        }
                    }
                    first = false;
                    context = Tokens.next(context, t.text());
                }
            }
        }
        resp.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return resp;
    }

    private ObjectNode messages(JsonNode req) {
        ObjectNode toolTurn = tools.anthropic(req);
        if (toolTurn != null) return toolTurn;
        var prompt = new StringBuilder(req.path("system").asText(""));
        String lastUser = "";
        String prefill = "";
        JsonNode msgs = req.path("messages");
        for (int i = 0; i < msgs.size(); i++) {
            JsonNode m = msgs.get(i);
            String content = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            prompt.append('\n').append(m.path("role").asText()).append(": ").append(content);
            if (m.path("role").asText().equals("user")) lastUser = content;
            if (i == msgs.size() - 1 && m.path("role").asText().equals("assistant")) prefill = content;
        }
        String key = prefill.isEmpty() ? lastUser : lastUser + "\u0000" + prefill;
        String[] cut = limit(scriptedOr(key, prompt.toString(), req.path("metadata").path("user_id").asText("").hashCode()),
                req, "stop_sequences");
        ObjectNode resp = JSON.createObjectNode();
        resp.put("id", "msg_" + Tokens.hash(prompt.toString())).put("type", "message").put("role", "assistant")
                .put("model", req.path("model").asText());
        resp.putArray("content").addObject().put("type", "text").put("text", prefill.isEmpty() ? cut[0] : " " + cut[0]);
        resp.put("stop_reason", cut[1].equals("length") ? "max_tokens" : "end_turn");
        resp.putNull("stop_sequence");
        resp.putObject("usage").put("input_tokens", Tokens.split(prompt.toString()).size())
                .put("output_tokens", Tokens.split(cut[0]).size());
        return resp;
    }

    // ---------------------------------------------------------------- batches

    private void finishIfDue(Job job) {
        if (job.output != null || System.currentTimeMillis() < job.dueMs) return;
        synchronized (job) {
            if (job.output != null) return;
            var out = new StringBuilder();
            for (JsonNode line : job.requests) {
                String customId = line.path("custom_id").asText();
                if (job.anthropic) {
                    JsonNode params = line.path("params");
                    ObjectNode result = JSON.createObjectNode().put("custom_id", customId);
                    result.putObject("result").put("type", "succeeded").set("message", messages(params));
                    out.append(result).append('\n');
                    countCompleted("/v1/messages " + CacheKey.canonicalJson(params), 1);
                } else {
                    String url = line.path("url").asText();
                    JsonNode body = line.path("body");
                    ObjectNode answer = url.equals("/v1/completions") ? completions(body) : chat(body);
                    ObjectNode result = JSON.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet())
                            .put("custom_id", customId);
                    result.putObject("response").put("status_code", 200).put("request_id", "req_" + customId)
                            .set("body", answer);
                    result.putNull("error");
                    out.append(result).append('\n');
                    countCompleted(url + " " + CacheKey.canonicalJson(body), 1);
                }
            }
            if (!job.anthropic) files.put("file-out-" + job.id, out.toString().getBytes(StandardCharsets.UTF_8));
            job.output = out.toString();
        }
    }

    private ObjectNode openAiJob(Job job) {
        finishIfDue(job);
        boolean done = job.output != null;
        ObjectNode b = JSON.createObjectNode();
        b.put("id", job.id).put("object", "batch").put("endpoint", job.endpoint).put("input_file_id", job.inputFileId)
                .put("completion_window", "24h").put("status", done ? "completed" : "in_progress");
        if (done) b.put("output_file_id", "file-out-" + job.id);
        else b.putNull("output_file_id");
        b.putNull("error_file_id");
        b.putObject("request_counts").put("total", job.requests.size())
                .put("completed", done ? job.requests.size() : 0).put("failed", 0);
        return b;
    }

    private ObjectNode anthropicJob(Job job) {
        finishIfDue(job);
        boolean done = job.output != null;
        ObjectNode b = JSON.createObjectNode();
        b.put("id", job.id).put("type", "message_batch").put("processing_status", done ? "ended" : "in_progress");
        b.putObject("request_counts").put("processing", done ? 0 : job.requests.size())
                .put("succeeded", done ? job.requests.size() : 0).put("errored", 0).put("canceled", 0).put("expired", 0);
        if (done) b.put("results_url", root() + "/v1/messages/batches/" + job.id + "/results");
        else b.putNull("results_url");
        return b;
    }

    /** The bytes of the part named "file" of a multipart/form-data body. */
    private static byte[] multipartFile(String contentType, byte[] raw) {
        if (contentType == null || !contentType.contains("boundary=")) throw new IllegalArgumentException("not multipart");
        String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
        String body = new String(raw, StandardCharsets.ISO_8859_1);
        for (String part : body.split(java.util.regex.Pattern.quote(boundary))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0 || !part.substring(0, headerEnd).contains("name=\"file\"")) continue;
            String content = part.substring(headerEnd + 4);
            if (content.endsWith("\r\n")) content = content.substring(0, content.length() - 2);
            return content.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new IllegalArgumentException("no file part");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
