package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.List;

/**
 * Horizontal grouped bars with 95% CI error bars: one row per behaviour, one bar per run (series).
 * Horizontal so that a hundred dataset names stay readable; rows grow the chart downwards.
 *
 * <p>Elements carry {@code class} and {@code data-*} attributes (bar, err; row, series, value) so that
 * tests and scripts can read the numbers back.
 */
final class BarChart {
    static final double WIDTH = 960;
    static final double PLOT_LEFT = 260;
    static final double PLOT_RIGHT = WIDTH - 70;
    static final double BAR = 14;
    static final double ROW_GAP = 10;
    private static final double LEGEND_ITEM = 300;

    /** A behaviour's values, one per series; null where that run did not measure it. */
    record Row(String label, List<Results.MetricValue> values) {
    }

    private BarChart() {
    }

    static String render(String title, MetricDisplay metric, List<String> series, List<Row> rows) {
        int perLegendRow = Math.max(1, (int) ((WIDTH - 40) / LEGEND_ITEM));
        int legendRows = series.size() <= 1 ? 0 : (series.size() + perLegendRow - 1) / perLegendRow;
        double plotTop = 50 + legendRows * 18;
        double rowH = series.size() * BAR + ROW_GAP;
        double plotBottom = plotTop + rows.size() * rowH;
        double height = plotBottom + 58;
        Axis x = axis(metric, rows);
        Svg svg = new Svg(WIDTH, height, title);
        svg.title(WIDTH, title, 16);
        for (int s = 0; s < series.size() && legendRows > 0; s++) {
            double lx = 20 + (s % perLegendRow) * LEGEND_ITEM;
            double ly = 42 + (s / perLegendRow) * 18;
            svg.rect(lx, ly - 10, 12, 12, Palette.colour(s), "class=\"legend\"");
            svg.text(lx + 18, ly, clipMiddle(series.get(s), 44), series.get(s), "start", null);
        }
        for (int r = 0; r < rows.size(); r++) {
            if (r % 2 == 1) svg.rect(0, plotTop + r * rowH, WIDTH, rowH, "#f3f4f6", null);
        }
        for (double t : x.ticks()) {
            svg.line(x.map(t), plotTop, x.map(t), plotBottom, "#d0d4da", 1, null);
            svg.text(x.map(t), plotBottom + 16, x.label(t), "middle", null);
        }
        if (metric.signed()) {
            // A difference reads against zero: mark it, and draw no 50% line.
            svg.line(x.map(0), plotTop, x.map(0), plotBottom, "#111111", 1.5, "class=\"zero\"");
        } else if (x.min() < 0.5 && x.max() > 0.5 && (metric.percent() || x.max() <= 1)) {
            svg.line(x.map(0.5), plotTop, x.map(0.5), plotBottom, "#555555", 1, "stroke-dasharray=\"4 3\"");
        }
        double zero = x.map(Math.max(0, x.min()));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            double top = plotTop + r * rowH + ROW_GAP / 2;
            svg.text(PLOT_LEFT - 8, top + series.size() * BAR / 2 + 4, clip(row.label(), 40), row.label(), "end", "class=\"row-label\"");
            for (int s = 0; s < row.values().size(); s++) {
                Results.MetricValue v = row.values().get(s);
                if (v == null || Double.isNaN(v.value())) continue;
                double y = top + s * BAR;
                double end = x.clamp(v.value());
                String data = "data-row=\"" + Svg.escape(row.label()) + "\" data-series=\"" + s + "\" data-value=\"" + v.value() + "\"";
                svg.rect(Math.min(zero, end), y + 1, Math.abs(end - zero), BAR - 2, Palette.colour(s), "class=\"bar\" " + data);
                double right = end;
                if (!Double.isNaN(v.ciLow())) {
                    double lo = x.clamp(v.ciLow());
                    double hi = x.clamp(v.ciHigh());
                    double cy = y + BAR / 2;
                    svg.line(lo, cy, hi, cy, "#111111", 1.5, "class=\"err\" " + data + " data-low=\"" + v.ciLow() + "\" data-high=\"" + v.ciHigh() + "\"");
                    svg.line(lo, cy - 4, lo, cy + 4, "#111111", 1.5, null);
                    svg.line(hi, cy - 4, hi, cy + 4, "#111111", 1.5, null);
                    right = Math.max(right, hi);
                }
                svg.text(right + 5, y + BAR - 3, value(metric, v.value()), "start", "font-size=\"10\" fill=\"#333333\"");
            }
        }
        svg.line(PLOT_LEFT, plotBottom, PLOT_RIGHT, plotBottom, "#333333", 1, null);
        svg.text((PLOT_LEFT + PLOT_RIGHT) / 2, plotBottom + 40, metric.label() + " (bars: estimate; whiskers: 95% CI)", "middle", "font-size=\"13\"");
        return svg.end();
    }

    static Axis axis(MetricDisplay metric, List<Row> rows) {
        if (metric.signed()) return signedAxis(rows);
        double lo = 0;
        double hi = 1;
        for (Row r : rows)
            for (Results.MetricValue v : r.values()) {
                if (v == null || Double.isNaN(v.value())) continue;
                lo = Math.min(lo, v.value());
                hi = Math.max(hi, v.value());
            }
        if (!metric.percent() && (lo < 0 || hi > 1)) {
            // Not a probability: fit the estimates (intervals may be clipped; their numbers are in the tables).
            double span = hi - lo;
            lo = lo < 0 ? lo - 0.05 * span : 0;
            hi = hi + 0.05 * span;
        }
        return new Axis(lo, hi, PLOT_LEFT, PLOT_RIGHT, false, metric.percent());
    }

    /**
     * Symmetric about zero, wide enough for every estimate and interval end: a signed value's sign is what a
     * reader looks for, so zero sits in the middle whichever side the values fall.
     */
    static Axis signedAxis(List<Row> rows) {
        double m = 0;
        for (Row r : rows)
            for (Results.MetricValue v : r.values()) {
                if (v == null || Double.isNaN(v.value())) continue;
                m = Math.max(m, Math.abs(v.value()));
                if (!Double.isNaN(v.ciLow())) m = Math.max(m, Math.max(Math.abs(v.ciLow()), Math.abs(v.ciHigh())));
            }
        if (!(m > 0)) m = 1;
        m = m <= 1 ? Math.min(1, m * 1.1) : m * 1.1;
        return new Axis(-m, m, PLOT_LEFT, PLOT_RIGHT, false, false);
    }

    static String value(MetricDisplay metric, double v) {
        if (metric.signed()) return String.format(java.util.Locale.ROOT, "%+.3f", v);
        return metric.percent() ? String.format(java.util.Locale.ROOT, "%.1f%%", v * 100) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /** Keeps both ends: series often differ only at the end (two replay files in one folder). */
    static String clipMiddle(String s, int max) {
        if (s.length() <= max) return s;
        int head = (max - 1) / 2;
        return s.substring(0, head) + "…" + s.substring(s.length() - (max - 1 - head));
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
