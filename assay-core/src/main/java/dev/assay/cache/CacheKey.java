package dev.assay.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the canonical JSON of (provider, endpoint, model, request, epoch). Only the epoch is
 * taken from the {@link dev.assay.model.CallTag}: the same request in the same epoch is the same call,
 * whichever sample asked it. Keys hold no secrets, since nothing secret is ever passed in.
 *
 * @param hex 64 lower-case hex digits
 */
public record CacheKey(String hex) {

    static final ObjectMapper CANONICAL = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static CacheKey of(String provider, String endpoint, String model, JsonNode request, int epoch) {
        ObjectNode node = CANONICAL.createObjectNode();
        node.put("provider", provider);
        node.put("endpoint", endpoint == null ? "" : endpoint);
        node.put("model", model);
        node.set("request", request);
        node.put("epoch", epoch);
        return new CacheKey(sha256(canonicalJson(node)));
    }

    public static CacheKey generate(String provider, String endpoint, String model, GenerateRequest r) {
        ObjectNode req = CANONICAL.createObjectNode();
        req.put("op", "generate");
        req.set("prompt", prompt(r.prompt()));
        req.put("maxTokens", r.maxTokens());
        req.put("temperature", r.temperature());
        req.put("topP", r.topP());
        req.put("seed", r.seed());
        req.set("stop", CANONICAL.valueToTree(r.stop()));
        req.put("n", r.n());
        req.put("topLogprobs", r.topLogprobs());
        // Only when tools are offered, so keys of tool-free requests are what they always were.
        if (!r.tools().isEmpty()) req.set("tools", CANONICAL.valueToTree(r.tools()));
        return of(provider, endpoint, model, req, r.tag().epoch());
    }

    public static CacheKey score(String provider, String endpoint, String model, ScoreRequest r) {
        ObjectNode req = CANONICAL.createObjectNode();
        req.put("op", "score");
        req.set("prompt", prompt(r.prompt()));
        req.set("continuations", CANONICAL.valueToTree(r.continuations()));
        return of(provider, endpoint, model, req, r.tag().epoch());
    }

    /** Sorted keys, no whitespace: the same request always serialises to the same bytes. */
    public static String canonicalJson(JsonNode node) {
        try {
            // Re-reading through a sorted-map view sorts ObjectNode fields too (they keep insertion order).
            Object plain = CANONICAL.treeToValue(node, Object.class);
            return CANONICAL.writeValueAsString(plain);
        } catch (Exception e) {
            throw new IllegalStateException("cannot canonicalise a request", e);
        }
    }

    public static String sha256(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A plain turn is {role, content}, as when Message was a record of those two; tool calls and
     * results add their fields.
     */
    private static ObjectNode message(Message m) {
        ObjectNode node = CANONICAL.createObjectNode();
        node.put("role", m.role());
        node.put("content", m.content());
        switch (m) {
            case Message.AssistantTurn a when !a.toolCalls().isEmpty() -> node.set("toolCalls", CANONICAL.valueToTree(a.toolCalls()));
            case Message.ToolResult t -> {
                node.put("callId", t.callId());
                node.put("name", t.name());
                node.put("stderr", t.stderr());
                node.put("error", t.error());
            }
            default -> {
            }
        }
        return node;
    }

    private static JsonNode prompt(Prompt p) {
        ObjectNode node = CANONICAL.createObjectNode();
        switch (p) {
            case Prompt.Text t -> {
                node.put("kind", "text");
                node.put("text", t.text());
                node.put("startOfText", t.startOfText());
            }
            case Prompt.Chat c -> {
                node.put("kind", "chat");
                ArrayNode messages = node.putArray("messages");
                for (Message m : c.messages()) messages.add(message(m));
                node.put("prefill", c.prefill());
            }
        }
        return node;
    }
}
