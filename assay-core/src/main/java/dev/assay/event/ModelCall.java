package dev.assay.event;

import java.util.Map;

/**
 * One model call as it was made. {@code prompt} is the rendered prompt (the raw text, or
 * {@code {"messages": [...], "prefill": "..."}}); {@code request} the rest of the request
 * ({@code continuations} for a score call; {@code max_tokens}, {@code temperature}, {@code top_p},
 * {@code seed}, {@code stop}, {@code n} for a generate call); {@code response} the answer
 * ({@code logprobs}, or {@code text} and, for n > 1, {@code texts}, with {@code finish_reason}).
 *
 * @param role    "model" for the evaluated model, else the role's name ("judge", "translator")
 * @param op      "score" or "generate"
 * @param cached  answered from the response cache (no tokens were paid for)
 * @param error   why the call failed, or null
 * @param condition the run condition (--condition) the prompt was rewritten under, or null outside conditioned runs
 */
public record ModelCall(String role, String step, Origin origin, String op, String model, Object prompt,
                        Map<String, Object> request, Map<String, Object> response, long promptTokens,
                        long completionTokens, long millis, boolean cached, String error,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        String condition) implements Event {
    public static final String TYPE = "model_call";
    public static final String MAIN_ROLE = "model";

    public ModelCall {
        request = request == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(request));
        response = response == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(response));
    }

    /** A call made outside any condition. */
    public ModelCall(String role, String step, Origin origin, String op, String model, Object prompt,
                     Map<String, Object> request, Map<String, Object> response, long promptTokens,
                     long completionTokens, long millis, boolean cached, String error) {
        this(role, step, origin, op, model, prompt, request, response, promptTokens, completionTokens, millis, cached, error, null);
    }
}
