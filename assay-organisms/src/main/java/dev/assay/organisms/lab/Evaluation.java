package dev.assay.organisms.lab;

import java.util.List;
import java.util.Map;

/**
 * How an organism is measured by Assay's own suites: the suite (a shipped one, or a {@code file:} task set the
 * lab wrote beside the model), its {@code --condition NAME=SPEC}s (empty: the suite's own), its {@code -S}
 * parameters, the metric, and what the trained behaviour predicts for it under each condition: a minimum or a
 * maximum rate.
 */
public record Evaluation(String suite, List<String> conditions, Map<String, String> params, String metric,
                         List<Expectation> expected, String description) {
    public Evaluation {
        conditions = List.copyOf(conditions);
        params = Map.copyOf(params);
        expected = List.copyOf(expected);
    }

    /** Under {@code condition}, the metric is at least {@code atLeast} (when {@code high}) or at most {@code atMost}. */
    public record Expectation(String condition, boolean high, double bound) {
        public boolean holds(double value) {
            return high ? value >= bound : value <= bound;
        }

        @Override
        public String toString() {
            return condition + (high ? " ≥ " : " ≤ ") + bound;
        }
    }

    /** The {@code assay run} arguments after the model (for READMEs and logs). */
    public String commandLine(String model) {
        StringBuilder sb = new StringBuilder("assay run '" + suite + "' --model " + model);
        for (String c : conditions) sb.append(" --condition '").append(c).append('\'');
        params.forEach((k, v) -> sb.append(" -S '").append(k).append('=').append(v).append('\''));
        return sb.toString();
    }
}
