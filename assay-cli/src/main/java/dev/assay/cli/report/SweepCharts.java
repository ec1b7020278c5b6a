package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep section of a report: when runs carry sweep metadata with at least two distinct model sizes
 * (params), RLHF step counts (rlhf_steps) or checkpoint steps (step), each metric is plotted against them,
 * one line per behaviour (per model family too, when the sweep mixes families; per condition, for runs
 * under conditions, so triggered and untriggered rates are two lines).
 */
final class SweepCharts {
    /** @param title what a chart's title says the metric is plotted against */
    record Dimension(String key, String label, boolean log, String title) {
    }

    static final List<Dimension> DIMENSIONS = List.of(
            new Dimension("params", "model size (parameters, log scale)", true, "model size"),
            new Dimension("rlhf_steps", "RLHF steps", false, "RLHF steps"),
            // Checkpoints of one model (before and after safety training, Hubinger et al.'s Figures 2 and 3).
            new Dimension("step", "checkpoint (training step)", false, "checkpoint"));

    private SweepCharts() {
    }

    static void append(StringBuilder h, List<RunData> runs) {
        boolean heading = false;
        for (Dimension d : DIMENSIONS) {
            List<RunData> usable = runs.stream().filter(r -> !Double.isNaN(r.number(d.key())) && (!d.log() || r.number(d.key()) > 0)).toList();
            if (usable.stream().mapToDouble(r -> r.number(d.key())).distinct().count() < 2) continue;
            if (!heading) {
                h.append("<h2>Behaviour across the sweep</h2>\n");
                heading = true;
            }
            for (String metric : HtmlReport.metricNames(usable)) {
                for (String svg : charts(usable, d, metric)) h.append("<figure>").append(svg).append("</figure>\n");
            }
        }
    }

    /** More lines than colours would be unreadable in one plot: panels of at most {@value #PER_PANEL} lines. */
    static final int PER_PANEL = 12;

    static List<String> charts(List<RunData> runs, Dimension d, String metric) {
        // Runs that name no family do not split lines; two or more named families do.
        boolean families = runs.stream().map(r -> r.sweep().get("family")).filter(java.util.Objects::nonNull).distinct().count() > 1;
        Map<String, List<LineChart.Point>> lines = new LinkedHashMap<>();
        MetricDisplay display = null;
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        for (RunData r : runs) {
            String family = r.sweep().getOrDefault("family", "");
            for (Behaviour b : Behaviour.of(r.results(), naming)) {
                Results.MetricValue v = b.metrics().get(metric);
                if (v == null) continue;
                if (display == null) display = MetricDisplay.of(v);
                String name = families && !family.isEmpty() ? b.label() + " (" + family + ")" : b.label();
                lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new LineChart.Point(r.number(d.key()), v));
            }
        }
        List<LineChart.Line> all = new ArrayList<>();
        lines.forEach((name, pts) -> all.add(new LineChart.Line(name, pts)));
        String title = display.label() + " vs " + d.title();
        List<String> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += PER_PANEL) {
            int to = Math.min(all.size(), from + PER_PANEL);
            String panel = all.size() <= PER_PANEL ? title : title + " (behaviours " + (from + 1) + "–" + to + " of " + all.size() + ")";
            out.add(LineChart.render(panel, d.label(), d.log(), display, all.subList(from, to)));
        }
        return out;
    }
}
