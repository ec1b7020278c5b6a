package dev.assay.run;

import dev.assay.suite.SuiteGroup;

import java.util.Locale;

/**
 * One table for a {@link SuiteGroup}'s run: a row per member suite with its headline metric, the value,
 * its 95% CI and n. A member missing from the results (or whose headline had no scored sample) shows
 * "—" rather than being dropped, so a gap is visible.
 */
public final class GroupTable {
    private GroupTable() {
    }

    public static String render(SuiteGroup group, Results results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%s  (%s)  %s%n", group.name(), results.model(), group.description()));
        out.append(String.format(Locale.ROOT, "  %-40s %-28s %9s %21s %6s  %s%n", "suite", "headline", "value", "95% CI", "n", "excluded"));
        for (SuiteGroup.Headline h : group.members()) {
            Results.MetricValue m = results.suites().stream().filter(s -> s.suite().equals(h.suite())).findFirst()
                    .flatMap(s -> s.metrics().stream().filter(v -> v.name().equals(h.metric())).findFirst()).orElse(null);
            if (m == null || m.n() == 0) {
                out.append(String.format(Locale.ROOT, "  %-40s %-28s %9s %21s %6s  %s%n", h.suite(), h.metric(), "—", "—", "0",
                        m == null ? "—" : excluded(m)));
            } else {
                String ci = Double.isNaN(m.ciLow()) ? "—" : "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]";
                out.append(String.format(Locale.ROOT, "  %-40s %-28s %9s %21s %6d  %s%n", h.suite(), h.metric(), num(m.value()), ci, m.n(), excluded(m)));
            }
        }
        return out.toString();
    }

    /** "unparsed 2, no_target 1", or "—". */
    private static String excluded(Results.MetricValue m) {
        if (m.excluded().isEmpty()) return "—";
        StringBuilder b = new StringBuilder();
        m.excluded().forEach((reason, n) -> b.append(b.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }
}
