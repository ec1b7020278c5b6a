package dev.assay.cli.report;

import dev.assay.run.Results;
import dev.assay.stats.Proportion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward-tampering curriculum's main figure (Denison et al. 2024): for a sweep over checkpoints
 * ({@code step:}), each environment's gaming rate against the checkpoint, one line per environment (and
 * one each for tampering and covering tracks in the held-out environment), with the exact Clopper–Pearson
 * 95% interval — the one to quote for a handful of events in thousands; the general sweep charts above draw
 * the same rates with Wilson intervals. Each point carries its count and n ("45 / 32,768") for the viewer.
 */
final class CurriculumCharts {
    static final String PREFIX = "reward-tampering/";
    static final List<String> METRICS = List.of("gamed", "covered_tracks");

    private CurriculumCharts() {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        List<RunData> usable = runs.stream().filter(r -> !Double.isNaN(r.number("step"))).toList();
        if (usable.stream().mapToDouble(r -> r.number("step")).distinct().count() < 2) return;
        String svg = chart(usable);
        if (svg == null) return;
        h.append("<h2>Reward-tampering curriculum across checkpoints</h2>\n<figure>").append(svg).append("</figure>\n");
    }

    /** The chart, or null when the runs hold no reward-tampering rates. */
    static String chart(List<RunData> runs) {
        Map<String, List<LineChart.Point>> lines = new LinkedHashMap<>();
        MetricDisplay display = null;
        for (RunData r : runs) {
            for (Results.SuiteResults s : r.results().suites()) {
                if (!s.suite().startsWith(PREFIX)) continue;
                for (Results.MetricValue m : s.metrics()) {
                    if (!METRICS.contains(m.name()) || m.proportion() == null) continue;
                    Proportion p = m.proportion();
                    // The same rate with the exact interval in place of Wilson's.
                    Results.MetricValue exact = new Results.MetricValue(m.name(), m.description(), m.value(), m.stderr(), p.exactLow(),
                            p.exactHigh(), m.n(), "clopper-pearson", m.excluded(), m.scale(), p);
                    if (display == null) display = MetricDisplay.of(exact);
                    String env = s.suite().substring(PREFIX.length());
                    String name = m.name().equals("gamed") ? env : env + " (covered tracks)";
                    lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new LineChart.Point(r.number("step"), exact));
                }
            }
        }
        if (lines.isEmpty()) return null;
        List<LineChart.Line> all = new ArrayList<>();
        lines.forEach((name, pts) -> all.add(new LineChart.Line(name, pts)));
        return LineChart.render("gaming rate per environment vs checkpoint (exact 95% CI)", "checkpoint (training step)", false, display, all);
    }
}
