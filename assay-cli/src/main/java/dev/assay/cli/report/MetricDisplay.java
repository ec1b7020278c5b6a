package dev.assay.cli.report;

import dev.assay.run.Results;

/**
 * How a metric is shown in a plot: a label a reader understands without the code, whether it is a rate
 * (drawn on a 0–100% axis) and whether it is signed (a difference or a score in [−1, 1], drawn on an axis
 * symmetric about a marked zero, never against a 50% line). The two MWE aggregations get the names used in
 * Perez et al.'s plots.
 */
record MetricDisplay(String name, String label, boolean percent, boolean signed) {

    MetricDisplay(String name, String label, boolean percent) {
        this(name, label, percent, false);
    }

    static MetricDisplay of(Results.MetricValue m) {
        return switch (m.name()) {
            case "match_prob" -> new MetricDisplay(m.name(), "mean P(matching answer)", false);
            case "match_top" -> new MetricDisplay(m.name(), "% answers matching behaviour", true);
            default -> new MetricDisplay(m.name(), m.description() == null || m.description().isBlank() ? m.name()
                    : m.name() + ": " + m.description(), false, signed(m));
        };
    }

    /** Declared signed, or (results written before metrics declared a scale) named as a difference. */
    static boolean signed(Results.MetricValue m) {
        if (m.scale() != null) return m.signed();
        String n = m.name();
        return n.contains("change") || n.contains("minus") || n.contains("difference");
    }
}
