package dev.assay.cli;

import dev.assay.run.Results;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints results as aligned text tables: one per suite, metrics with 95% CIs, then per-group rows. */
final class ResultsTable {
    private ResultsTable() {
    }

    static void print(PrintWriter out, Results results) {
        for (Results.SuiteResults s : results.suites()) {
            out.printf(Locale.ROOT, "%n%s  (%s)  samples=%d scored=%d errors=%d methods=%s%n", s.suite(), results.model(),
                    s.samples(), s.scored(), s.errors(), s.methods());
            out.printf(Locale.ROOT, "  %-22s %9s %9s %21s %6s  %-24s %s%n", "metric", "value", "stderr", "95% CI", "n", "excluded", "");
            for (Results.MetricValue m : s.metrics()) {
                if (m.n() == 0 && m.excludedTotal() == 0) continue;
                out.printf(Locale.ROOT, "  %-22s %9s %9s %21s %6d  %-24s %s%n", m.name(), num(m.value()), num(m.stderr()),
                        ci(m), m.n(), excluded(m), m.description());
                if (m.proportion() != null) out.println("  " + " ".repeat(22) + " " + rare(m.proportion()));
            }
            printContrasts(out, s);
            if (s.groups().isEmpty()) continue;
            String first = s.metrics().isEmpty() ? "" : s.metrics().getFirst().name();
            String second = s.metrics().size() > 1 ? s.metrics().get(1).name() : "";
            out.printf(Locale.ROOT, "  %-44s %6s  %-30s %-30s%n", "group", "n", first + " [95% CI]", second + " [95% CI]");
            for (Results.GroupResults g : s.groups()) {
                out.printf(Locale.ROOT, "  %-44s %6d  %-30s %-30s%n", trim(g.key() + "=" + g.value(), 44), g.samples(),
                        cell(g, 0), cell(g, 1));
            }
        }
    }

    /** Under conditions: each metric per condition and its paired difference from the reference, overall then per group. */
    static void printContrasts(PrintWriter out, Results.SuiteResults s) {
        if (s.contrasts().isEmpty()) return;
        out.printf(Locale.ROOT, "  paired by item, condition − %s (95%% paired-bootstrap CI):%n", s.contrasts().getFirst().reference());
        out.printf(Locale.ROOT, "  %-28s %-22s %-12s %9s %9s %9s %21s %6s  %s%n", "group", "metric", "condition", "reference", "condition",
                "diff", "95% CI", "n", "test p");
        for (Results.Contrast c : s.contrasts()) {
            if (c.n() == 0) continue;
            String ci = Double.isNaN(c.ciLow()) ? "—" : String.format(Locale.ROOT, "[%+.4f, %+.4f]", c.ciLow(), c.ciHigh());
            String test = c.test().isEmpty() || Double.isNaN(c.p()) ? "" : c.test() + " p=" + String.format(Locale.ROOT, c.p() < 1e-4 ? "%.1e" : "%.4f", c.p());
            out.printf(Locale.ROOT, "  %-28s %-22s %-12s %9s %9s %9s %21s %6d  %s%n", trim(c.group().isEmpty() ? "(all)" : c.group(), 28),
                    trim(c.metric(), 22), trim(c.condition(), 12), num(c.referenceValue()), num(c.conditionValue()),
                    Double.isNaN(c.diff()) ? "—" : String.format(Locale.ROOT, "%+.4f", c.diff()), ci, c.n(), test);
        }
    }

    /**
     * After the per-suite tables, one table per suite group the run was started with (e.g. sycophancy/all):
     * each member's headline metric and 95% CI on one row.
     */
    static void printGroups(PrintWriter out, dev.assay.run.RunHeader header, Results results) {
        dev.assay.suite.Suites registry = dev.assay.suite.Suites.discover();
        for (String name : header.spec().suites()) {
            registry.group(name).ifPresent(g -> out.print(dev.assay.run.GroupTable.render(g, results)));
        }
    }

    private static String cell(Results.GroupResults g, int i) {
        if (g.metrics().size() <= i) return "";
        Results.MetricValue m = g.metrics().get(i);
        return m.n() == 0 ? "—" : num(m.value()) + " " + ci(m);
    }

    /** "no_target 400, unparsed 3", or "—" when nothing was left out: what a metric did not count, and why. */
    static String excluded(Results.MetricValue m) {
        if (m.excluded().isEmpty()) return "—";
        StringBuilder b = new StringBuilder();
        m.excluded().forEach((reason, n) -> b.append(b.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
        return b.toString();
    }

    /** A rate's count and n with both intervals: "45 / 32,768  Wilson [...]  Clopper–Pearson [...]". */
    static String rare(dev.assay.stats.Proportion p) {
        return String.format(Locale.ROOT, "%s   Wilson [%s, %s]   Clopper–Pearson [%s, %s]", p.label(),
                small(p.wilsonLow()), small(p.wilsonHigh()), small(p.exactLow()), small(p.exactHigh()));
    }

    /** Four decimals, or two significant figures where four decimals would hide a rare rate. */
    private static String small(double v) {
        return v != 0 && Math.abs(v) < 1e-3 ? dev.assay.stats.Proportion.sci(v) : num(v);
    }

    static String ci(Results.MetricValue m) {
        if (Double.isNaN(m.ciLow())) return "—";
        return "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]";
    }

    static String num(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String trim(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
