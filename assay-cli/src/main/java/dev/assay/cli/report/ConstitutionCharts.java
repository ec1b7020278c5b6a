package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kundu et al.'s figure for a sweep of judges (constitution/harmless-win-rate runs whose sweep entries give params): the harmless
 * response win rate against judge size, one panel per principle set with a line per dataset and one for all
 * datasets, then the sets' headlines side by side. The results' "principles" groups give the per-set lines, the
 * "dataset" groups ("SET/FILE") the per-dataset ones.
 */
final class ConstitutionCharts {
    static final String PREFIX = "constitution/harmless-win-rate";
    static final String SET = "principles";
    static final String ALL = "all datasets";
    static final List<String> METRICS = List.of("win_rate");

    private ConstitutionCharts() {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        List<RunData> usable = runs.stream().filter(r -> r.number("params") > 0).toList();
        if (usable.stream().mapToDouble(r -> r.number("params")).distinct().count() < 2) return;
        // suite → set → line → points
        Map<String, Map<String, Map<String, List<LineChart.Point>>>> panels = new LinkedHashMap<>();
        Map<String, Map<String, List<LineChart.Point>>> headlines = new LinkedHashMap<>();
        MetricDisplay display = null;
        for (RunData r : usable) {
            double x = r.number("params");
            for (Results.SuiteResults s : r.results().suites()) {
                if (!s.suite().startsWith(PREFIX)) continue;
                for (Results.GroupResults g : s.groups()) {
                    Results.MetricValue v = winRate(g.metrics());
                    if (v == null || v.n() == 0) continue;
                    if (display == null) display = new MetricDisplay(v.name(), "harmless response win rate (" + v.name() + ")", true);
                    Map<String, Map<String, List<LineChart.Point>>> sets = panels.computeIfAbsent(s.suite(), k -> new LinkedHashMap<>());
                    if (g.key().equals(SET)) {
                        add(sets, g.value(), ALL, x, v);
                        headlines.computeIfAbsent(s.suite(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(g.value(), k -> new ArrayList<>()).add(new LineChart.Point(x, v));
                    } else if (g.key().equals("dataset") && g.value().contains("/")) {
                        int slash = g.value().indexOf('/');
                        add(sets, g.value().substring(0, slash), g.value().substring(slash + 1), x, v);
                    }
                }
            }
        }
        if (panels.isEmpty()) return;
        h.append("<h2>Harmless response win rate against judge size</h2>\n<p class=\"note\">The judge is the evaluated model; ")
                .append("each point is one run of the sweep (its params), with a 95% CI. Both orders of the options are averaged, ")
                .append("so a judge that only follows the position scores 50%.</p>\n");
        for (var suite : panels.entrySet()) {
            Map<String, List<LineChart.Point>> heads = headlines.getOrDefault(suite.getKey(), Map.of());
            if (heads.size() > 1) {
                List<LineChart.Line> lines = new ArrayList<>();
                heads.forEach((set, pts) -> lines.add(new LineChart.Line(set + " principles", pts)));
                h.append("<figure>").append(LineChart.render(suite.getKey() + ": principle sets vs judge size",
                        "judge size (parameters, log scale)", true, display, lines)).append("</figure>\n");
            }
            for (var set : suite.getValue().entrySet()) {
                List<LineChart.Line> lines = new ArrayList<>();
                List<LineChart.Point> all = set.getValue().get(ALL);
                if (all != null) lines.add(new LineChart.Line(ALL, all));
                set.getValue().forEach((name, pts) -> {
                    if (!name.equals(ALL)) lines.add(new LineChart.Line(name, pts));
                });
                List<LineChart.Line> shown = lines.subList(0, Math.min(lines.size(), SweepCharts.PER_PANEL));
                h.append("<figure>").append(LineChart.render(suite.getKey() + ": " + set.getKey() + " principles, win rate vs judge size",
                        "judge size (parameters, log scale)", true, display, shown)).append("</figure>\n");
            }
        }
    }

    private static void add(Map<String, Map<String, List<LineChart.Point>>> sets, String set, String line, double x, Results.MetricValue v) {
        sets.computeIfAbsent(set, k -> new LinkedHashMap<>()).computeIfAbsent(line, k -> new ArrayList<>()).add(new LineChart.Point(x, v));
    }

    private static Results.MetricValue winRate(List<Results.MetricValue> ms) {
        for (Results.MetricValue m : ms) if (METRICS.contains(m.name())) return m;
        return null;
    }
}
