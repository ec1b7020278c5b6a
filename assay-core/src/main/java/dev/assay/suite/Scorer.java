package dev.assay.suite;

import dev.assay.data.Sample;

import java.util.Map;

/**
 * Turns a sample's transcript into named scores. It never calls the evaluated model; it may call a
 * role model (a judge) from {@code roles}. Runs again on re-scoring, reading the transcript from the log.
 */
@FunctionalInterface
public interface Scorer {
    Map<String, Double> score(Sample sample, Transcript transcript, ScoreContext context);

    /**
     * Role models available to scorers (e.g. "judge"; their calls are recorded with origin "scorer"), the
     * sample's seed and tag, and the suite's parameters (-S).
     */
    record ScoreContext(Map<String, dev.assay.model.Model> roles, long seed, dev.assay.model.CallTag tag,
                        Map<String, String> params) {
        public ScoreContext {
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        public ScoreContext(Map<String, dev.assay.model.Model> roles, long seed, dev.assay.model.CallTag tag) {
            this(roles, seed, tag, Map.of());
        }
    }
}
