package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Radhakrishnan et al. 2023's Figure 1 for decomposition/… runs: accuracy against each faithfulness metric, one
 * point per reasoning method (few-shot, CoT, CoT decomposition, factored decomposition), with 95% CI whiskers on
 * both axes. One chart per metric, per model (run label) and per task set (all tasks, or one task's suite).
 * Points carry {@code class="pt"} and {@code data-method}, {@code data-x}, {@code data-y} so the numbers can be read back.
 */
final class DecompositionCharts {
    static final String PREFIX = "decomposition/";
    static final List<String> METHODS = List.of("few-shot", "cot", "cot-decomposition", "factored");
    static final String ACCURACY = "accuracy";

    /** A faithfulness metric and how its axis reads. */
    record Measure(String metric, String label, boolean signed) {
    }

    static final List<Measure> MEASURES = List.of(
            new Measure("early_answering_aoc", "early answering AOC (higher: more faithful)", false),
            new Measure("adding_mistakes_aoc", "adding mistakes AOC (higher: more faithful)", false),
            new Measure("biased_context", "biased-context accuracy drop (lower: more faithful)", true),
            new Measure("bias_always_a", "accuracy drop, answers always (A)", true),
            new Measure("bias_suggested", "accuracy drop, suggested wrong answer", true));

    static final double WIDTH = 720;
    static final double LEFT = 80;
    static final double RIGHT = WIDTH - 190;
    static final double TOP = 50;
    static final double BOTTOM = 400;

    /** One method's point: its accuracy and its value of the metric. */
    record Point(String method, Results.MetricValue x, Results.MetricValue y) {
    }

    private DecompositionCharts() {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        // (run label, task scope) → method → suite results
        Map<String, Map<String, Results.SuiteResults>> scopes = new LinkedHashMap<>();
        for (RunData run : runs) {
            for (Results.SuiteResults s : run.results().suites()) {
                if (!s.suite().startsWith(PREFIX)) continue;
                String[] parts = s.suite().substring(PREFIX.length()).split("/", 2);
                if (!METHODS.contains(parts[0])) continue;
                String scope = run.label() + (parts.length > 1 ? ", " + parts[1] : ", all tasks");
                scopes.computeIfAbsent(scope, k -> new LinkedHashMap<>()).put(parts[0], s);
            }
        }
        boolean heading = false;
        for (var scope : scopes.entrySet()) {
            for (Measure m : MEASURES) {
                List<Point> points = new ArrayList<>();
                for (String method : METHODS) {
                    Results.SuiteResults s = scope.getValue().get(method);
                    if (s == null) continue;
                    Results.MetricValue x = value(s, m.metric()), y = value(s, ACCURACY);
                    if (x == null || y == null || Double.isNaN(x.value()) || Double.isNaN(y.value())) continue;
                    points.add(new Point(method, x, y));
                }
                if (points.isEmpty()) continue;
                if (!heading) {
                    h.append("<h2>Accuracy and faithfulness by reasoning method</h2>\n");
                    heading = true;
                }
                h.append("<figure>").append(render("Accuracy vs " + m.metric() + " (" + scope.getKey() + ")", m, points)).append("</figure>\n");
            }
        }
    }

    private static Results.MetricValue value(Results.SuiteResults s, String name) {
        return s.metrics().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    static String render(String title, Measure m, List<Point> points) {
        Axis x = m.signed() ? new Axis(-1, 1, LEFT, RIGHT, false, true) : new Axis(0, 1, LEFT, RIGHT, false, false);
        Axis y = new Axis(0, 1, BOTTOM, TOP, false, true);
        Svg svg = new Svg(WIDTH, BOTTOM + 60, title);
        svg.title(WIDTH, title, 15);
        svg.frame(new Svg.Plot(LEFT, RIGHT, TOP, BOTTOM), x, x.ticks(), y, m.label(), "accuracy");
        if (m.signed()) svg.line(x.map(0), TOP, x.map(0), BOTTOM, "#111111", 1.5, "class=\"zero\"");
        for (Point p : points) {
            String colour = Palette.colour(METHODS.indexOf(p.method()));
            double px = x.clamp(p.x().value()), py = y.clamp(p.y().value());
            String data = "data-method=\"" + Svg.escape(p.method()) + "\" data-x=\"" + p.x().value() + "\" data-y=\"" + p.y().value() + "\"";
            if (!Double.isNaN(p.x().ciLow())) {
                svg.line(x.clamp(p.x().ciLow()), py, x.clamp(p.x().ciHigh()), py, colour, 1.5, "stroke-opacity=\"0.55\" class=\"err-x\" " + data
                        + " data-low=\"" + p.x().ciLow() + "\" data-high=\"" + p.x().ciHigh() + "\"");
            }
            if (!Double.isNaN(p.y().ciLow())) {
                svg.line(px, y.clamp(p.y().ciLow()), px, y.clamp(p.y().ciHigh()), colour, 1.5, "stroke-opacity=\"0.55\" class=\"err-y\" " + data
                        + " data-low=\"" + p.y().ciLow() + "\" data-high=\"" + p.y().ciHigh() + "\"");
            }
            svg.circle(px, py, 5, colour, "class=\"pt\" " + data);
        }
        for (int i = 0; i < METHODS.size(); i++) {
            double ly = TOP + 6 + i * 18;
            String method = METHODS.get(i);
            svg.circle(RIGHT + 26, ly - 4, 5, Palette.colour(i), null);
            svg.text(RIGHT + 38, ly, method + (points.stream().anyMatch(p -> p.method().equals(method)) ? "" : " (no value)"), "start", null);
        }
        return svg.end();
    }
}
