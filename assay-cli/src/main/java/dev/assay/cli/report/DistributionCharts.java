package dev.assay.cli.report;

import dev.assay.run.Distributions;
import dev.assay.run.Results;
import dev.assay.sketch.QuantileSketch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-sample distributions of results.json (log-probs, response lengths, costs, each score), one CDF chart
 * each, drawn from the serialised quantile sketch: one line per run, read from the sketch at 201 ranks, so the
 * chart needs no samples. Below each chart, the quantiles results.json carries. The CDF is accurate to the
 * rank-error bound printed beside it. Lines carry {@code class="cdf"} and {@code data-run} so they can be read back.
 */
public final class DistributionCharts {
    static final double WIDTH = 960;
    static final double LEFT = 80, RIGHT = WIDTH - 290, TOP = 50, BOTTOM = 330;
    static final int POINTS = 201;

    private DistributionCharts() {
    }

    /** Appends the section, or nothing when no run carries distributions (runs written before them). */
    public static void append(StringBuilder h, List<RunData> runs) {
        Map<String, List<Results.Distribution>> byName = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>(), ids = new LinkedHashMap<>();
        for (RunData r : runs) {
            for (Results.Distribution d : r.results().distributions()) {
                String key = d.suite() + " · " + d.name();
                byName.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
                labels.computeIfAbsent(key, k -> new ArrayList<>()).add(r.label() + " (" + r.id() + ")");
                ids.computeIfAbsent(key, k -> new ArrayList<>()).add(r.id());
            }
        }
        if (byName.isEmpty()) return;
        h.append("<h2>Distributions</h2>\n<p class=\"note\">Per-sample values summarised by Assay's quantile sketch "
                + "(assay-sketch): each line is the sketch's CDF; its rank error is at most the bound shown (a deterministic bound).</p>\n");
        byName.forEach((key, ds) -> {
            h.append("<figure>").append(cdf(key, ds, labels.get(key), ids.get(key))).append("</figure>\n");
            table(h, ds, labels.get(key));
        });
    }

    static String cdf(String title, List<Results.Distribution> ds, List<String> labels, List<String> ids) {
        double lo = ds.stream().mapToDouble(Results.Distribution::min).min().orElse(0);
        double hi = ds.stream().mapToDouble(Results.Distribution::max).max().orElse(1);
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        Axis x = new Axis(lo, hi, LEFT, RIGHT, false, false);
        Axis y = new Axis(0, 1, BOTTOM, TOP, false, true);
        double height = Math.max(BOTTOM + 60, TOP + ds.size() * 18 + 20);
        Svg svg = new Svg(WIDTH, height, title + ": cumulative distribution");
        svg.title(WIDTH, title, 16);
        svg.frame(new Svg.Plot(LEFT, RIGHT, TOP, BOTTOM), x, x.ticks(), y, ds.getFirst().unit(), "fraction of samples ≤ x");
        for (int i = 0; i < ds.size(); i++) {
            QuantileSketch s = ds.get(i).decode();
            double[] xs = new double[POINTS + 1], ys = new double[POINTS + 1];
            xs[0] = x.map(s.min());
            ys[0] = y.map(0);
            for (int p = 0; p < POINTS; p++) {
                double r = p / (double) (POINTS - 1);
                xs[p + 1] = x.clamp(s.quantile(r));
                ys[p + 1] = y.map(r);
            }
            String colour = Palette.colour(i);
            svg.polyline(xs, ys, colour, "class=\"cdf\" data-run=\"" + Svg.escape(labels.get(i)) + "\"");
            double ly = TOP + 10 + i * 18;
            svg.line(RIGHT + 16, ly, RIGHT + 36, ly, colour, 3, null);
            svg.text(RIGHT + 42, ly + 4, ids.get(i) + "  n=" + ds.get(i).n(), "start", null); // full labels: the table below
        }
        return svg.end();
    }

    private static void table(StringBuilder h, List<Results.Distribution> ds, List<String> labels) {
        h.append("<table><tr><th>run</th><th>n</th><th>min</th>");
        for (String k : Distributions.KEYS) h.append("<th>").append(k).append("</th>");
        h.append("<th>max</th><th>mean</th><th>rank error ≤</th></tr>\n");
        for (int i = 0; i < ds.size(); i++) {
            Results.Distribution d = ds.get(i);
            h.append("<tr><td>").append(HtmlReport.esc(labels.get(i))).append("</td><td class=\"num\">").append(d.n())
                    .append("</td><td class=\"num\">").append(HtmlReport.num(d.min())).append("</td>");
            for (String k : Distributions.KEYS) h.append("<td class=\"num\">").append(HtmlReport.num(d.quantiles().getOrDefault(k, Double.NaN))).append("</td>");
            h.append("<td class=\"num\">").append(HtmlReport.num(d.max())).append("</td><td class=\"num\">").append(HtmlReport.num(d.mean()))
                    .append("</td><td class=\"num\">").append(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * d.rankErrorBound())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
