package dev.assay.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The --model-option keys the HTTP providers read ({@link dev.assay.model.ModelProvider#options()}). */
final class ProviderOptions {
    private ProviderOptions() {
    }

    /** Read by every HTTP provider (Wire.Settings, ApiKey). */
    static final Map<String, String> WIRE = ordered(
            "timeout", "seconds before a request is abandoned and retried (default: 4 x the p99 of recent round trips, 1-120 s, hedged)",
            "max_attempts", "tries per request, the first included (default 10)",
            "backoff_ms", "first retry delay in ms, doubling (default 250)",
            "backoff_cap_ms", "longest retry delay in ms (default 10000)",
            "concurrency", "requests in flight per endpoint at the start (default 32)",
            "max_concurrency", "most requests in flight per endpoint (default 4096)",
            "api_key_env", "the environment variable holding the API key",
            "breaker_s", "stop the run when no call has succeeded for this many seconds and 20 have failed (default 60)",
            "policy", "legacy: the old fixed-timeout, halve-on-every-429 rules (for benchmarks; default adaptive)");

    /** Read when batch=true (OpenAI Batch, Anthropic Message Batches). */
    static final Map<String, String> BATCH = ordered(
            "batch", "true: send generation through the batch API (--batch)",
            "batch_window_ms", "how long requests gather before a batch is sent (default 2000)",
            "batch_max", "most requests in one batch (default 10000)",
            "batch_poll_ms", "how often a pending batch is polled (default 15000)");

    /** Only for openai-compatible servers. */
    static final Map<String, String> SCORING = ordered(
            "score", "false: do not score by echo+logprobs (generate instead)",
            "prompt_logprobs", "true: score with vLLM's prompt_logprobs instead of echo");

    /** Read by the OpenAI providers (OpenAiModel). */
    static final Map<String, String> TOOLS = ordered(
            "tools", "text: send tools through the text protocol instead of native tool calls (default native)");

    @SafeVarargs
    static Map<String, String> union(Map<String, String>... maps) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> m : maps) all.putAll(m);
        return Map.copyOf(all);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
