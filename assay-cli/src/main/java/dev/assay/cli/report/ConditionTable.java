package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.Locale;

/**
 * A suite run under conditions: each metric in each condition against the reference, paired by item, overall
 * and per group (results.json's contrasts), with the paired bootstrap CI and the test.
 */
final class ConditionTable {
    private ConditionTable() {
    }

    static void append(StringBuilder h, Results.SuiteResults s) {
        if (s.contrasts().isEmpty()) return;
        h.append("<p class=\"note\">Paired by item: condition − ").append(HtmlReport.esc(s.contrasts().getFirst().reference()))
                .append(" over the items scored in both, 95% paired percentile bootstrap CI; McNemar's exact test for 0/1 scores, ")
                .append("a paired t test for other means.</p>\n");
        h.append("<table class=\"contrasts\"><tr><th>group</th><th>metric</th><th>condition</th><th>reference</th><th>condition</th>")
                .append("<th>difference</th><th>95% CI</th><th>n</th><th>test</th><th>p</th></tr>\n");
        for (Results.Contrast c : s.contrasts()) {
            if (c.n() == 0) continue;
            h.append("<tr><td>").append(HtmlReport.esc(c.group().isEmpty() ? "(all)" : c.group())).append("</td><td>").append(HtmlReport.esc(c.metric()))
                    .append("</td><td>").append(HtmlReport.esc(c.condition())).append("</td><td class=\"num\">").append(HtmlReport.num(c.referenceValue()))
                    .append("</td><td class=\"num\">").append(HtmlReport.num(c.conditionValue())).append("</td><td class=\"num\">")
                    .append(HtmlReport.signed(c.diff())).append("</td><td class=\"num\">")
                    .append(Double.isNaN(c.ciLow()) ? "—" : "[" + HtmlReport.signed(c.ciLow()) + ", " + HtmlReport.signed(c.ciHigh()) + "]")
                    .append("</td><td class=\"num\">").append(c.n()).append("</td><td>").append(HtmlReport.esc(c.test()))
                    .append("</td><td class=\"num\">").append(Double.isNaN(c.p()) ? "—" : String.format(Locale.ROOT, "%.4g", c.p())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
