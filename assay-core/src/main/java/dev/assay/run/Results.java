package dev.assay.run;

import java.util.List;
import java.util.Map;

/**
 * A run's results.json: per suite, the metrics with their uncertainty overall and per group. Contains
 * nothing that depends on timing or scheduling, so a resumed run writes the same file as an
 * uninterrupted one.
 */
public record Results(String run, String model, List<SuiteResults> suites, List<Distribution> distributions) {

    public Results {
        distributions = distributions == null ? List.of() : List.copyOf(distributions);
    }

    public Results(String run, String model, List<SuiteResults> suites) {
        this(run, model, suites, List.of());
    }

    /**
     * One per-sample numeric distribution of a suite (a metric's per-sample values, log-probs of chosen answers,
     * response lengths, costs), summarised in constant memory by a {@link dev.assay.sketch.QuantileSketch}:
     * exact n, min, max and mean; quantiles 1, 5, 25, 50, 75, 95, 99 % (keys "p1" … "p99"); the rank-error bound
     * that holds for them; and the sketch itself, base64 of its versioned bytes, for merging and drawing.
     * See {@link Distributions}.
     */
    public record Distribution(String suite, String name, String unit, long n, double min, double max, double mean,
                               Map<String, Double> quantiles, double rankErrorBound, String sketch) {
        public Distribution {
            quantiles = quantiles == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(quantiles));
        }

        /** The sketch, decoded. */
        public dev.assay.sketch.QuantileSketch decode() {
            return dev.assay.sketch.QuantileSketch.fromByteArray(java.util.Base64.getDecoder().decode(sketch));
        }
    }

    /**
     * @param contrasts under run conditions (--condition, or a suite's own): each metric in each condition
     *                  paired with the first condition, overall and per group; empty otherwise
     */
    public record SuiteResults(String suite, int samples, int scored, int errors, Map<String, Integer> methods,
                               List<MetricValue> metrics, List<GroupResults> groups,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<Contrast> contrasts) {
        public SuiteResults {
            contrasts = contrasts == null ? List.of() : List.copyOf(contrasts);
        }

        public SuiteResults(String suite, int samples, int scored, int errors, Map<String, Integer> methods,
                            List<MetricValue> metrics, List<GroupResults> groups) {
            this(suite, samples, scored, errors, methods, metrics, groups, List.of());
        }
    }

    /**
     * A metric under {@code condition} against the same items under {@code reference} (the run's first
     * condition), paired item by item: {@code diff} = value under condition − value under reference, over the n
     * items that have the metric's score in both. The CI is a paired percentile bootstrap over items (1,000
     * resamples, seeded from the run seed); {@code test} is "McNemar exact" when every paired score is 0 or 1,
     * "paired t" for other per-item means, "" for statistics of the whole set (then p is NaN). {@code group}
     * is "" overall, else "key=value".
     */
    public record Contrast(String group, String metric, String reference, String condition, double referenceValue,
                           double conditionValue, double diff, double ciLow, double ciHigh, int n, String test, double p) {
        /** Why a number of this contrast is null in results.json, or null when all are numbers. */
        @com.fasterxml.jackson.annotation.JsonProperty(value = "null_reason", access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        public String nullReason() {
            if (!Double.isFinite(diff)) return "no difference: " + (n == 0 ? "no item has the metric under both conditions" : "undefined on these items");
            if (!Double.isFinite(ciLow) || !Double.isFinite(ciHigh)) return "no interval from n=" + n;
            if (!Double.isFinite(p)) return test.isEmpty() ? "p: no test for a statistic of the whole set" : "p: undefined for these items";
            return null;
        }
    }

    /** One group's metrics, e.g. key "dataset", value "desire-for-power". */
    public record GroupResults(String key, String value, int samples, List<MetricValue> metrics) {
    }

    /**
     * CI bounds are NaN when undefined; {@code method} is "t", "wilson" or "bootstrap". {@code n} is the number
     * of samples the value used (for a clustered bootstrap without a counted score, the number of clusters);
     * {@code excluded} counts, per reason ("unparsed", "no_target", "invalid_distribution", "error"), the
     * samples of the metric's population that gave it no value. {@code scale} is "rate", "signed", "value", or
     * null when the metric did not say. {@code proportion}, for a mean of 0/1 scores (a rate), is the count
     * and n with the Wilson and exact Clopper–Pearson intervals and the one-sided 95% upper bound (the figures
     * rare events are quoted by, {@link dev.assay.stats.Proportion}); absent otherwise.
     */
    public record MetricValue(String name, String description, double value, double stderr, double ciLow,
                              double ciHigh, int n, String method, Map<String, Integer> excluded, String scale,
                              @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              dev.assay.stats.Proportion proportion) {
        public MetricValue {
            excluded = excluded == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(excluded));
        }

        public MetricValue(String name, String description, double value, double stderr, double ciLow,
                           double ciHigh, int n, String method, Map<String, Integer> excluded, String scale) {
            this(name, description, value, stderr, ciLow, ciHigh, n, method, excluded, scale, null);
        }

        public MetricValue(String name, String description, double value, double stderr, double ciLow,
                           double ciHigh, int n, String method) {
            this(name, description, value, stderr, ciLow, ciHigh, n, method, Map.of(), null);
        }

        /** Why a number of this metric is null in results.json (not a number), or null when all are numbers. */
        @com.fasterxml.jackson.annotation.JsonProperty(value = "null_reason", access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        public String nullReason() {
            if (!Double.isFinite(value)) {
                if (n == 0) {
                    return excluded.isEmpty() || excludedTotal() == 0 ? "no values: no sample was scored for this metric"
                            : "no values: every sample was left out (" + excluded + ")";
                }
                return "undefined for these " + n + " samples (e.g. a correlation of constant scores)";
            }
            boolean ci = !Double.isFinite(ciLow) || !Double.isFinite(ciHigh);
            boolean se = !Double.isFinite(stderr);
            if (!ci && !se) return null;
            return (ci && se ? "no standard error or interval" : ci ? "no interval" : "no standard error") + " from n=" + n
                    + (n < 2 ? " (it needs at least 2 samples)" : "");
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
