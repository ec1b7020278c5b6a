package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of Lanham et al. 2023 from the cot/… suites' curve metrics: % same answer against % of the chain of
 * thought given (early answering, Figure 3) and against % of the chain before the mistake (adding mistakes,
 * Figure 4), accuracy against filler length as a percentile of chain lengths (Figure 5), accuracy against % of the
 * chain paraphrased (Figure 6), and the AOC per chain length. One line per task (per run and task when several
 * runs are reported), each point's 95% CI drawn as a shaded band. Elements carry {@code class} (band, line, pt)
 * and {@code data-*} attributes so tests can read the numbers back.
 */
final class CotCharts {
    static final double WIDTH = 960;
    static final double LEFT = 80;
    static final double RIGHT = WIDTH - 290;
    static final double TOP = 50;
    static final double BOTTOM = 410;

    /** A family of metrics "prefix[x%]" (or "aoc[L=x]") drawn as one chart. */
    record Family(String prefix, Pattern member, boolean percentX, String title, String xLabel, String yLabel, boolean rateY) {
        Double x(String metric) {
            Matcher m = member.matcher(metric);
            if (!m.matches()) return null;
            double v = Double.parseDouble(m.group(1));
            return percentX ? v / 100 : v;
        }
    }

    private static Family percent(String prefix, String title, String xLabel, String yLabel) {
        return new Family(prefix, Pattern.compile(Pattern.quote(prefix) + "\\[(\\d+)%]"), true, title, xLabel, yLabel, true);
    }

    static final List<Family> FAMILIES = List.of(
            percent("same_answer", "Early answering: same answer as with the whole chain", "% of the chain of thought given",
                    "% same answer as the complete CoT"),
            percent("same_answer_after_mistake", "Adding mistakes: same answer as with the untouched chain",
                    "% of the chain of thought before the mistake", "% same answer as the original CoT"),
            percent("accuracy_filler", "Filler tokens: accuracy with n × \" ...\" instead of a chain of thought",
                    "filler length n, as a percentile of the chains' token lengths", "accuracy"),
            percent("accuracy_paraphrased", "Paraphrasing: accuracy with the first k sentences paraphrased",
                    "% of the chain of thought paraphrased", "accuracy"),
            new Family("aoc", Pattern.compile("aoc\\[L=(\\d+)]"), false, "Area over the curve by chain length",
                    "chain length L (sentences)", "AOC_L", false));

    private CotCharts() {
    }

    static Family family(String metric) {
        for (Family f : FAMILIES) if (f.x(metric) != null) return f;
        return null;
    }

    /** Whether a metric is a point of one of these charts (so it gets no bar chart of its own). */
    static boolean draws(String metric) {
        return family(metric) != null;
    }

    /** Whether a "name[label]" family is one of these charts' (so it is not drawn ranked). */
    static boolean drawsFamily(String prefix) {
        return FAMILIES.stream().anyMatch(f -> f.prefix().equals(prefix));
    }

    record Point(double x, Results.MetricValue value) {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        boolean heading = false;
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        for (Family f : FAMILIES) {
            Map<String, List<Point>> lines = new LinkedHashMap<>();
            for (RunData r : runs) {
                for (Behaviour b : Behaviour.of(r.results(), naming)) {
                    String name = runs.size() == 1 ? b.label() : r.label() + " — " + b.label();
                    b.metrics().forEach((metric, v) -> {
                        Double x = f.x(metric);
                        if (x != null && !Double.isNaN(v.value())) lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(x, v));
                    });
                }
            }
            lines.values().removeIf(List::isEmpty);
            if (lines.isEmpty()) continue;
            if (!heading) {
                h.append("<h2>Chain-of-thought faithfulness (Lanham et al. 2023)</h2>\n");
                heading = true;
            }
            h.append("<figure>").append(render(f, lines)).append("</figure>\n");
        }
    }

    static String render(Family f, Map<String, List<Point>> lines) {
        double height = Math.max(BOTTOM + 60, TOP + lines.size() * 18 + 20);
        double xMax = f.percentX() ? 1 : lines.values().stream().flatMap(List::stream).mapToDouble(Point::x).max().orElse(1);
        double xMin = f.percentX() ? 0 : 1;
        if (xMax <= xMin) xMax = xMin + 1;
        Axis x = new Axis(xMin, xMax, LEFT + 20, RIGHT - 20, false, f.percentX());
        Axis y = new Axis(0, 1, BOTTOM, TOP, false, f.rateY());
        Svg svg = new Svg(WIDTH, height, f.title());
        svg.title(WIDTH, f.title(), 16);
        svg.frame(new Svg.Plot(LEFT, RIGHT, TOP, BOTTOM), x, f.percentX() ? x.ticks() : integerTicks(xMin, xMax), y, f.xLabel(), f.yLabel());
        int l = 0;
        for (Map.Entry<String, List<Point>> e : lines.entrySet()) {
            String colour = Palette.colour(l);
            List<Point> pts = e.getValue().stream().sorted(Comparator.comparingDouble(Point::x)).toList();
            String name = "data-line=\"" + Svg.escape(e.getKey()) + "\"";
            List<Point> banded = pts.stream().filter(p -> !Double.isNaN(p.value().ciLow()) && !Double.isNaN(p.value().ciHigh())).toList();
            if (banded.size() >= 2) {
                double[] bx = new double[banded.size() * 2];
                double[] by = new double[banded.size() * 2];
                for (int i = 0; i < banded.size(); i++) {
                    bx[i] = x.map(banded.get(i).x());
                    by[i] = y.clamp(banded.get(i).value().ciHigh());
                    bx[bx.length - 1 - i] = bx[i];
                    by[by.length - 1 - i] = y.clamp(banded.get(i).value().ciLow());
                }
                svg.polygon(bx, by, colour, "fill-opacity=\"0.15\" class=\"band\" " + name);
            }
            double[] xs = new double[pts.size()];
            double[] ys = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                xs[i] = x.map(pts.get(i).x());
                ys[i] = y.clamp(pts.get(i).value().value());
            }
            svg.polyline(xs, ys, colour, "class=\"line\" " + name);
            for (int i = 0; i < pts.size(); i++) {
                Results.MetricValue v = pts.get(i).value();
                svg.circle(xs[i], ys[i], 3.5, colour, "class=\"pt\" " + name + " data-x=\"" + pts.get(i).x() + "\" data-value=\"" + v.value()
                        + "\" data-low=\"" + v.ciLow() + "\" data-high=\"" + v.ciHigh() + "\" data-n=\"" + v.n() + "\"");
            }
            double ly = TOP + 6 + l * 18;
            svg.line(RIGHT + 20, ly - 4, RIGHT + 44, ly - 4, colour, 3, null);
            svg.text(RIGHT + 50, ly, BarChart.clip(e.getKey(), 34), "start", null);
            l++;
        }
        return svg.end();
    }

    private static List<Double> integerTicks(double from, double to) {
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(from); t <= to; t++) out.add(t);
        return out;
    }
}
