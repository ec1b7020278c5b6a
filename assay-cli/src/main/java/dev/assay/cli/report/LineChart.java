package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Behaviour against a model property (size on a log axis, or RLHF steps): one line per behaviour, a dot
 * with a 95% CI whisker per run — the shape of Perez et al.'s scaling figures. Elements carry
 * {@code class} (pt, err, line) and {@code data-*} attributes so the numbers can be read back.
 */
final class LineChart {
    static final double WIDTH = 960;
    static final double PLOT_LEFT = 80;
    static final double PLOT_RIGHT = WIDTH - 290;
    static final double PLOT_TOP = 50;
    static final double PLOT_BOTTOM = 410;

    record Point(double x, Results.MetricValue value) {
    }

    record Line(String name, List<Point> points) {
    }

    private LineChart() {
    }

    static String render(String title, String xLabel, boolean logX, MetricDisplay metric, List<Line> lines) {
        double height = Math.max(PLOT_BOTTOM + 60, PLOT_TOP + lines.size() * 18 + 20);
        Axis x = xAxis(lines, logX);
        Axis y = metric.signed() ? new Axis(-1, 1, PLOT_BOTTOM, PLOT_TOP, false, false) : new Axis(0, 1, PLOT_BOTTOM, PLOT_TOP, false, metric.percent());
        Svg svg = new Svg(WIDTH, height, title);
        svg.title(WIDTH, title, 16);
        svg.frame(new Svg.Plot(PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM), x, x.ticks(), y, xLabel, metric.label());
        if (metric.signed()) svg.line(PLOT_LEFT, y.map(0), PLOT_RIGHT, y.map(0), "#111111", 1.5, "class=\"zero\"");
        else svg.line(PLOT_LEFT, y.map(0.5), PLOT_RIGHT, y.map(0.5), "#555555", 1, "stroke-dasharray=\"4 3\"");
        for (int l = 0; l < lines.size(); l++) {
            Line line = lines.get(l);
            String colour = Palette.colour(l);
            List<Point> pts = line.points().stream().filter(p -> !Double.isNaN(p.value().value()) && (!logX || p.x() > 0))
                    .sorted(Comparator.comparingDouble(Point::x)).toList();
            double[] xs = new double[pts.size()];
            double[] ys = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                xs[i] = x.map(pts.get(i).x());
                ys[i] = y.clamp(pts.get(i).value().value());
            }
            String name = "data-line=\"" + Svg.escape(line.name()) + "\"";
            // Colours repeat after the palette; the second round is dashed, the third dotted, so lines stay apart.
            String dash = switch (l / Palette.size() % 3) {
                case 1 -> " stroke-dasharray=\"7 4\"";
                case 2 -> " stroke-dasharray=\"2 3\"";
                default -> "";
            };
            svg.polyline(xs, ys, colour, "class=\"line\" " + name + dash);
            for (int i = 0; i < pts.size(); i++) {
                Results.MetricValue v = pts.get(i).value();
                String data = name + " data-x=\"" + pts.get(i).x() + "\" data-value=\"" + v.value() + "\"";
                if (!Double.isNaN(v.ciLow())) {
                    svg.line(xs[i], y.clamp(v.ciLow()), xs[i], y.clamp(v.ciHigh()), colour, 1.5, "stroke-opacity=\"0.45\" " +
                            "class=\"err\" " + data + " data-low=\"" + v.ciLow() + "\" data-high=\"" + v.ciHigh() + "\"");
                }
                svg.circle(xs[i], ys[i], 4, colour, "class=\"pt\" " + data);
            }
            double ly = PLOT_TOP + 6 + l * 18;
            svg.line(PLOT_RIGHT + 20, ly - 4, PLOT_RIGHT + 44, ly - 4, colour, 3, dash.strip());
            svg.text(PLOT_RIGHT + 50, ly, BarChart.clip(line.name(), 34), line.name(), "start", null);
        }
        return svg.end();
    }

    static Axis xAxis(List<Line> lines, boolean log) {
        List<Double> xs = new ArrayList<>();
        for (Line l : lines) for (Point p : l.points()) if (!log || p.x() > 0) xs.add(p.x());
        double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElse(log ? 1 : 0);
        double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElse(log ? 10 : 1);
        double pad = 0.06;
        if (log) {
            double a = Math.floor(Math.log10(lo));
            double b = Math.ceil(Math.log10(hi));
            if (b <= a) b = a + 1;
            return new Axis(Math.pow(10, a), Math.pow(10, b), PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * pad,
                    PLOT_RIGHT - (PLOT_RIGHT - PLOT_LEFT) * pad, true, false);
        }
        if (hi <= lo) hi = lo + 1;
        double min = Math.min(0, lo);
        return new Axis(min, hi, PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * pad, PLOT_RIGHT - (PLOT_RIGHT - PLOT_LEFT) * pad, false, false);
    }
}
