package dev.assay.model;

/**
 * The model contract (SPEC §3): two operations and declared capabilities. Implementations must be
 * safe to call from many virtual threads at once; a provider that can batch concurrent calls should.
 * Errors the user can fix (bad endpoint, missing file) are {@link dev.assay.AssayException}s; a call that
 * fails after the provider's retries throws {@link ModelCallException}, which the runner records on
 * the sample.
 */
public interface Model extends AutoCloseable {

    /** The spec this model was opened from, e.g. "llama/qwen2.5-0.5b-instruct". */
    String spec();

    Capabilities capabilities();

    Generation generate(GenerateRequest request);

    /**
     * Summed log-probabilities of each continuation after the prompt.
     *
     * @throws UnsupportedOperationException if {@code capabilities().canScore()} is false
     */
    java.util.List<ContinuationScore> score(ScoreRequest request);

    /**
     * What the provider counted since it was opened, for the run summary (e.g. the embedded engine's
     * prefix-cache hits and tokens decoded); empty where it counts nothing. Wrappers pass it through.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /**
     * What this model's answers depend on besides its spec, for the response cache: the identity of a local
     * weights file, so that a file retrained or replaced at the same path (an organism's checkpoints) is not
     * answered from the old one's entries. Empty where the spec says it all (a remote model, whose base URL
     * the cache records). Wrappers pass it through.
     */
    default String cacheIdentity() {
        return "";
    }

    @Override
    default void close() {
    }
}
