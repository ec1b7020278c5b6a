package dev.assay.cli.report;

import dev.assay.cli.compare.PairedComparison;
import dev.assay.cli.compare.PairedItems;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One self-contained HTML page over one or more runs: inline CSS and hand-written SVG, nothing fetched,
 * so the file can be mailed, archived and opened offline. Plots first (what a reader came for), then
 * each run's provenance and full tables.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#1f2328;line-height:1.4}
            h1{font-size:24px;margin-bottom:4px} h2{font-size:19px;margin-top:36px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
            h3{font-size:16px;margin-top:22px} p.note{color:#57606a;font-size:13px;margin-top:2px}
            table{border-collapse:collapse;margin:8px 0 16px 0;font-size:13px}
            th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa} td.num{text-align:right;font-variant-numeric:tabular-nums}
            code{font-size:12px;word-break:break-all} figure{margin:12px 0 24px 0} svg{max-width:100%;height:auto}
            """;

    private HtmlReport() {
    }

    public static String build(List<RunData> runs) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>")
                .append(esc(title(runs))).append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>").append(esc(title(runs))).append("</h1>\n");
        h.append("<p class=\"note\" id=\"intervals\">Error bars and intervals are 95% confidence intervals over items, by ")
                .append(intervalMethods(runs)).append(". The dashed line marks 50% on rate axes; ")
                .append("signed metrics (differences, bias scores, correlations) are drawn about a solid zero line. ")
                .append("Each table's n is what a metric used; \"excluded\" says what it left out and why.</p>\n");
        overview(h, runs);
        OrganismLabel.append(h, runs);
        h.append(plots(runs));
        if (runs.size() == 2) h.append(comparison(runs.get(0), runs.get(1)));
        h.append(details(runs));
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The interval methods these runs' metrics actually used, named as a reader knows them (Wilson for proportions, …). */
    public static String intervalMethods(List<RunData> runs) {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("wilson", "Wilson's score interval for proportions (0/1 scores)");
        names.put("t", "Student-t for other means");
        names.put("bootstrap", "percentile bootstrap (1,000 resamples) for other statistics");
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (RunData r : runs) {
            for (var s : r.results().suites()) {
                s.metrics().forEach(m -> { if (m.n() > 0 && m.method() != null) used.add(m.method()); });
                s.contrasts().forEach(c -> used.add("paired-bootstrap"));
            }
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEach((k, v) -> { if (used.contains(k)) out.add(v); });
        for (String k : used) if (!names.containsKey(k) && !k.equals("paired-bootstrap")) out.add(k);
        if (used.contains("paired-bootstrap")) out.add("a paired percentile bootstrap over items for condition contrasts");
        return out.isEmpty() ? "no interval (no metric has values)" : String.join("; ", out);
    }

    /** The report's stylesheet, for pages (the viewer) that embed its sections. */
    public static String style() {
        return CSS;
    }

    /**
     * The plots: one bar chart per metric by dataset, except that a family of metrics "name[label]" measured
     * on one behaviour only (GlobalOpinionQA's similarity[country]) is one ranked chart of its labels; then
     * the sweep charts if the runs form a sweep.
     */
    public static String plots(List<RunData> runs) {
        StringBuilder h = new StringBuilder("<h2>Behaviour by dataset</h2>\n");
        Map<String, List<String>> ranked = rankedFamilies(runs);
        ranked.keySet().removeIf(CotCharts::drawsFamily);
        Set<String> inFamilies = new LinkedHashSet<>();
        ranked.values().forEach(inFamilies::addAll);
        for (String metric : metricNames(runs)) {
            if (!inFamilies.contains(metric) && !CotCharts.draws(metric)) h.append("<figure>").append(barChart(runs, metric)).append("</figure>\n");
        }
        ranked.forEach((family, members) -> rankedCharts(h, runs, family, members));
        DecompositionCharts.append(h, runs);
        SweepCharts.append(h, runs);
        ConstitutionCharts.append(h, runs);
        CurriculumCharts.append(h, runs);
        PersistenceCharts.append(h, runs);
        DistributionCharts.append(h, runs);
        CotCharts.append(h, runs);
        GenerationQuality.append(h, runs);
        return h.toString();
    }

    /** A family needs this many members to be drawn ranked; fewer are ordinary per-metric charts. */
    static final int RANKED_MIN = 3;
    /** Rows in each of the "highest" and "lowest" charts of a long family. */
    static final int RANKED_ROWS = 20;

    /** Families "name[label]" whose every member is measured on exactly one behaviour in every run. */
    static Map<String, List<String>> rankedFamilies(List<RunData> runs) {
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        Map<String, Integer> behavioursPerMetric = new LinkedHashMap<>();
        for (RunData r : runs) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Behaviour b : Behaviour.of(r.results(), naming)) b.metrics().keySet().forEach(m -> counts.merge(m, 1, Integer::sum));
            counts.forEach((m, c) -> behavioursPerMetric.merge(m, c, Math::max));
        }
        Map<String, List<String>> families = new LinkedHashMap<>();
        behavioursPerMetric.forEach((m, c) -> {
            int open = m.indexOf('[');
            if (c == 1 && open > 0 && m.endsWith("]")) families.computeIfAbsent(m.substring(0, open), k -> new ArrayList<>()).add(m);
        });
        families.values().removeIf(members -> members.size() < RANKED_MIN);
        return families;
    }

    /** The family's members as rows ranked by the first run's value; a long family as its top and bottom rows. */
    static void rankedCharts(StringBuilder h, List<RunData> runs, String family, List<String> members) {
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        List<Map<String, Results.MetricValue>> perRun = new ArrayList<>();
        for (RunData r : runs) {
            Map<String, Results.MetricValue> values = new LinkedHashMap<>();
            for (Behaviour b : Behaviour.of(r.results(), naming)) b.metrics().forEach((m, v) -> {
                if (members.contains(m)) values.put(m, v);
            });
            perRun.add(values);
        }
        List<BarChart.Row> rows = new ArrayList<>();
        for (String m : members) {
            List<Results.MetricValue> vs = new ArrayList<>();
            for (Map<String, Results.MetricValue> values : perRun) vs.add(values.get(m));
            rows.add(new BarChart.Row(m.substring(family.length() + 1, m.length() - 1), vs));
        }
        java.util.function.ToDoubleFunction<BarChart.Row> first = r -> r.values().getFirst() == null ? Double.NEGATIVE_INFINITY : r.values().getFirst().value();
        rows.sort(java.util.Comparator.comparingDouble(first).reversed());
        Results.MetricValue sample = rows.getFirst().values().stream().filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        MetricDisplay one = MetricDisplay.of(sample);
        // The family's axis says what its members measure, without any one member's [label].
        MetricDisplay display = new MetricDisplay(family, one.label().replace(sample.name(), family), one.percent(), one.signed());
        List<String> series = runs.stream().map(RunData::label).toList();
        String what = display.label();
        if (rows.size() <= 2 * RANKED_ROWS) {
            h.append("<figure>").append(BarChart.render(what + ", ranked (" + rows.size() + ")", display, series, rows)).append("</figure>\n");
        } else {
            h.append("<figure>").append(BarChart.render(what + ": highest " + RANKED_ROWS + " of " + rows.size(), display, series,
                    rows.subList(0, RANKED_ROWS))).append("</figure>\n");
            h.append("<figure>").append(BarChart.render(what + ": lowest " + RANKED_ROWS + " of " + rows.size(), display, series,
                    rows.subList(rows.size() - RANKED_ROWS, rows.size()))).append("</figure>\n");
        }
    }

    /** Each run's provenance, metric tables (with 95% CIs) and per-group tables. */
    public static String details(List<RunData> runs) {
        StringBuilder h = new StringBuilder();
        for (RunData r : runs) run(h, r);
        return h.toString();
    }

    static String title(List<RunData> runs) {
        return runs.size() == 1 ? "Assay report: " + runs.getFirst().label() : "Assay report: " + runs.size() + " runs";
    }

    /** Metric names measured anywhere, the MWE pair first. */
    static List<String> metricNames(List<RunData> runs) {
        Set<String> names = new LinkedHashSet<>(List.of("match_prob", "match_top"));
        Set<String> seen = new LinkedHashSet<>();
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        for (RunData r : runs) for (Behaviour b : Behaviour.of(r.results(), naming)) seen.addAll(b.metrics().keySet());
        names.retainAll(seen);
        names.addAll(seen);
        return new ArrayList<>(names);
    }

    static String barChart(List<RunData> runs, String metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<Map<String, Results.MetricValue>> perRun = new ArrayList<>();
        MetricDisplay display = null;
        Behaviour.Naming naming = Behaviour.Naming.of(runs);
        for (RunData r : runs) {
            Map<String, Results.MetricValue> values = new LinkedHashMap<>();
            for (Behaviour b : Behaviour.of(r.results(), naming)) {
                Results.MetricValue v = b.metrics().get(metric);
                if (v == null) continue;
                labels.putIfAbsent(b.key(), b.label());
                values.put(b.key(), v);
                if (display == null) display = MetricDisplay.of(v);
            }
            perRun.add(values);
        }
        List<BarChart.Row> rows = new ArrayList<>();
        labels.forEach((key, label) -> {
            List<Results.MetricValue> vs = new ArrayList<>();
            for (Map<String, Results.MetricValue> m : perRun) vs.add(m.get(key));
            rows.add(new BarChart.Row(label, vs));
        });
        List<String> series = runs.stream().map(RunData::label).toList();
        String title = display.label() + " by dataset" + (runs.size() == 1 ? " — " + runs.getFirst().label() : "");
        return BarChart.render(title, display, series, rows);
    }

    /** Two runs: the paired, item-by-item comparison of assay compare, as a table. */
    public static String comparison(RunData a, RunData b) {
        StringBuilder h = new StringBuilder();
        if (a.run() == null || b.run() == null) return "";
        var comparisons = PairedItems.of(a.run(), b.run()).bySuiteAndScore();
        if (comparisons.isEmpty()) return "";
        h.append("<h2>Paired comparison: B − A</h2>\n<p class=\"note\">A = ").append(esc(a.label())).append(", B = ")
                .append(esc(b.label())).append(". Differences over the items both runs scored; McNemar's exact test for 0/1 scores, ")
                .append("a paired t test otherwise (assay compare lists the items that changed most).</p>\n");
        h.append("<table><tr><th>suite</th><th>score</th><th>n</th><th>mean A</th><th>mean B</th><th>B − A</th><th>95% CI</th><th>test</th><th>p</th></tr>\n");
        comparisons.forEach((k, c) -> h.append("<tr><td>").append(esc(k.suite())).append("</td><td>").append(esc(k.score()))
                .append("</td><td class=\"num\">").append(c.n()).append("</td><td class=\"num\">").append(num(c.meanA()))
                .append("</td><td class=\"num\">").append(num(c.meanB())).append("</td><td class=\"num\">").append(signed(c.meanDiff()))
                .append("</td><td class=\"num\">").append(Double.isNaN(c.ciLow()) ? "—" : "[" + signed(c.ciLow()) + ", " + signed(c.ciHigh()) + "]")
                .append("</td><td>").append(c.test().equals(PairedComparison.MCNEMAR)
                        ? "McNemar (" + c.aToZero() + " 1→0, " + c.zeroToOne() + " 0→1)" : "paired t = " + String.format(Locale.ROOT, "%.2f", c.statistic()))
                .append("</td><td class=\"num\">").append(Double.isNaN(c.p()) ? "—" : String.format(Locale.ROOT, "%.4f", c.p())).append("</td></tr>\n"));
        h.append("</table>\n");
        return h.toString();
    }

    static String signed(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%+.4f", v);
    }

    private static void overview(StringBuilder h, List<RunData> runs) {
        h.append("<table><tr><th>run</th><th>model</th><th>suites</th><th>samples</th><th>created</th></tr>\n");
        for (RunData r : runs) {
            int samples = r.results().suites().stream().mapToInt(Results.SuiteResults::scored).sum();
            h.append("<tr><td><a href=\"#run-").append(esc(r.id())).append("\">").append(esc(r.id())).append("</a></td><td>")
                    .append(esc(r.label())).append("</td><td>").append(esc(String.join(", ", r.header().spec().suites())))
                    .append("</td><td class=\"num\">").append(samples).append("</td><td>").append(esc(r.header().created())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void run(StringBuilder h, RunData r) {
        RunHeader hd = r.header();
        var spec = hd.spec();
        h.append("<h2 id=\"run-").append(esc(r.id())).append("\">Run ").append(esc(r.id())).append("</h2>\n<table>\n");
        row(h, "model", spec.model());
        r.sweep().forEach((k, v) -> row(h, "sweep " + k, v));
        if (!spec.roles().isEmpty()) row(h, "roles", spec.roles().toString());
        row(h, "suites", String.join(", ", spec.suites()));
        row(h, "seed", Long.toString(spec.seed()));
        row(h, "epochs", Integer.toString(spec.epochs()));
        row(h, "limit per data file", spec.limit() == 0 ? "all" : Integer.toString(spec.limit()));
        row(h, "prompt format", spec.format() == null ? "each suite's default" : spec.format());
        row(h, "created", hd.created());
        hd.versions().forEach((k, v) -> row(h, k + " version", v));
        h.append("</table>\n");
        for (Results.SuiteResults s : r.results().suites()) suite(h, s);
        h.append("<h3>Data files</h3>\n<table><tr><th>suite</th><th>file</th><th>SHA-256</th></tr>\n");
        for (RunHeader.SuiteInfo s : hd.suites()) {
            for (var d : s.data().entrySet()) {
                h.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(esc(d.getKey()))
                        .append("</td><td><code>").append(esc(d.getValue())).append("</code></td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void suite(StringBuilder h, Results.SuiteResults s) {
        h.append("<h3>").append(esc(s.suite())).append("</h3>\n<p class=\"note\">").append(s.samples()).append(" samples, ")
                .append(s.scored()).append(" scored, ").append(s.errors()).append(" errors; methods ").append(esc(s.methods().toString())).append("</p>\n");
        h.append("<table><tr><th>metric</th><th>value</th><th>std. error</th><th>95% CI</th><th>n</th><th>excluded</th><th>interval</th><th>meaning</th></tr>\n");
        for (Results.MetricValue m : s.metrics()) {
            if (m.n() == 0 && m.excludedTotal() == 0) continue;
            h.append("<tr><td>").append(esc(m.name())).append("</td><td class=\"num\">").append(num(m.value()))
                    .append("</td><td class=\"num\">").append(num(m.stderr())).append("</td><td class=\"num\">").append(ci(m))
                    .append("</td><td class=\"num\">").append(m.n()).append("</td><td class=\"excluded\">").append(esc(excluded(m)))
                    .append("</td><td>").append(esc(m.method()))
                    .append("</td><td>").append(esc(m.description())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        ConditionTable.append(h, s);
        if (s.groups().isEmpty()) return;
        List<Results.MetricValue> shown = s.metrics().stream().filter(m -> m.n() > 0).toList();
        h.append("<table><tr><th>group</th><th>n</th>");
        for (Results.MetricValue m : shown) h.append("<th>").append(esc(m.name())).append(" [95% CI]</th>");
        h.append("</tr>\n");
        for (Results.GroupResults g : s.groups()) {
            h.append("<tr><td>").append(esc(g.key() + " = " + g.value())).append("</td><td class=\"num\">").append(g.samples()).append("</td>");
            for (Results.MetricValue m : shown) {
                Results.MetricValue gm = g.metrics().stream().filter(x -> x.name().equals(m.name())).findFirst().orElse(null);
                h.append("<td class=\"num\">").append(gm == null || gm.n() == 0 ? "—" : num(gm.value()) + " " + ci(gm)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v == null ? "" : v)).append("</td></tr>\n");
    }

    public static String num(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** "no_target 400, unparsed 3", or "—": what the metric left out, per reason. */
    static String excluded(Results.MetricValue m) {
        if (m.excluded().isEmpty()) return "—";
        StringBuilder b = new StringBuilder();
        m.excluded().forEach((reason, n) -> b.append(b.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
        return b.toString();
    }

    static String ci(Results.MetricValue m) {
        return Double.isNaN(m.ciLow()) ? "—" : "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]";
    }

    /** HTML/XML escaping, as every report page uses it. */
    public static String esc(String s) {
        return s == null ? "" : Svg.escape(s);
    }
}
