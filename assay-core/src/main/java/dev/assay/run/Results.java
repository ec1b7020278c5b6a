package dev.assay.run;

import java.util.List;
import java.util.Map;

/**
 * A run's results.json: per suite, the metrics with their uncertainty overall and per group. Contains
 * nothing that depends on timing or scheduling, so a resumed run writes the same file as an
 * uninterrupted one.
 */
public record Results(String run, String model, List<SuiteResults> suites) {

    public record SuiteResults(String suite, int samples, int scored, int errors, Map<String, Integer> methods,
                               List<MetricValue> metrics, List<GroupResults> groups) {
    }

    /** One group's metrics, e.g. key "dataset", value "desire-for-power". */
    public record GroupResults(String key, String value, int samples, List<MetricValue> metrics) {
    }

    /**
     * CI bounds are NaN when undefined; {@code method} is "t", "wilson" or "bootstrap". {@code n} is the number
     * of samples the value used (for a clustered bootstrap without a counted score, the number of clusters);
     * {@code excluded} counts, per reason ("unparsed", "no_target", "invalid_distribution", "error"), the
     * samples of the metric's population that gave it no value. {@code scale} is "rate", "signed", "value", or
     * null when the metric did not say.
     */
    public record MetricValue(String name, String description, double value, double stderr, double ciLow,
                              double ciHigh, int n, String method, Map<String, Integer> excluded, String scale) {
        public MetricValue {
            excluded = excluded == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(excluded));
        }

        public MetricValue(String name, String description, double value, double stderr, double ciLow,
                           double ciHigh, int n, String method) {
            this(name, description, value, stderr, ciLow, ciHigh, n, method, Map.of(), null);
        }

        /** Samples left out, over all reasons. */
        public int excludedTotal() {
            return excluded.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Whether the value is a signed quantity, drawn against zero. */
        public boolean signed() {
            return "signed".equals(scale);
        }
    }
}
