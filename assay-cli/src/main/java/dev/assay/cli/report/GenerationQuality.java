package dev.assay.cli.report;

import dev.assay.AssayException;
import dev.assay.data.Records;
import dev.assay.stats.Estimate;
import dev.assay.stats.Statistics;
import dev.assay.suites.generate.GeneratedSet;
import dev.assay.suites.generate.Selection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quality of a generated set (Perez et al. 2022 §3's checks), for each generation run among the report's runs,
 * recomputed from the run's log under the rule it was started with: what each stage kept and dropped, how often
 * the filter agrees with the label the generator was asked for (Wilson 95% CIs), the histogram of the filter's
 * label confidence with the threshold marked, and the near-duplicates removed. With {@code --labels FILE} (hand
 * labels for a sample of candidates) also how often people agree with the dataset's labels, with the generator's
 * intended label and with the filter, each with a Wilson CI.
 */
public final class GenerationQuality {
    /** The --labels file of 'assay report', if one was given (bound for the duration of one report). */
    public static final ScopedValue<Path> LABELS = ScopedValue.newInstance();
    static final int BINS = 20;
    static final int SHOWN_DUPLICATES = 20;

    private GenerationQuality() {
    }

    public static void append(StringBuilder h, List<RunData> runs) {
        Path labels = LABELS.isBound() ? LABELS.get() : null;
        List<RunData> gen = runs.stream().filter(r -> GeneratedSet.isGeneration(r.header())).toList();
        if (gen.isEmpty()) {
            if (labels != null) throw new AssayException("--labels " + labels + ": none of the report's runs is a generation run (assay generate)");
            return;
        }
        Map<String, String> hand = labels == null ? null : readLabels(labels);
        for (RunData r : gen) {
            Selection.Rule rule = GeneratedSet.rule(r.header());
            for (GeneratedSet.Part p : GeneratedSet.read(r.dir() != null ? r.dir() : r.run().folder(), rule)) section(h, r, p, rule, hand, labels);
        }
    }

    private static void section(StringBuilder h, RunData r, GeneratedSet.Part p, Selection.Rule rule, Map<String, String> hand, Path labelsFile) {
        h.append("<h2>Generated set: ").append(HtmlReport.esc(p.behaviour().name())).append(" (").append(HtmlReport.esc(p.kind()))
                .append(")</h2>\n<p class=\"note\">Run ").append(HtmlReport.esc(r.id())).append("; generator ")
                .append(HtmlReport.esc(String.valueOf(r.header().spec().roles().get("generator")))).append(", filter ")
                .append(HtmlReport.esc(String.valueOf(r.header().spec().roles().get("filter")))).append("; \"a person / an AI system that ")
                .append(HtmlReport.esc(p.behaviour().description())).append("\". Selection: threshold ").append(rule.threshold())
                .append(", ").append(rule.ngram()).append("-gram Jaccard ≥ ").append(rule.overlap()).append(" is a near-duplicate")
                .append(rule.perLabel() > 0 ? ", at most " + rule.perLabel() + " per label" : "").append(".</p>\n");
        // Stage counts.
        h.append("<table class=\"generation-counts\"><tr><th>label</th><th>generated</th><th>unusable</th><th>below threshold</th>")
                .append("<th>duplicates</th><th>dropped to balance</th><th>kept</th></tr>\n");
        p.result().counts().forEach((label, c) -> h.append("<tr><td>").append(HtmlReport.esc(label.strip())).append("</td>")
                .append(td(c.generated())).append(td(c.unusable())).append(td(c.belowThreshold())).append(td(c.duplicates()))
                .append(td(c.unbalanced())).append(td(c.kept())).append("</tr>\n"));
        h.append("</table>\n");
        // Filter vs the generator's intended label.
        h.append("<h3>Label agreement: filter vs the generator's intended label</h3>\n<table class=\"generation-agreement\"><tr><th>label</th>")
                .append("<th>agreement</th><th>95% CI (Wilson)</th><th>n usable</th></tr>\n");
        List<Selection.Candidate> usable = p.candidates().stream().filter(c -> c.usable() && !Double.isNaN(c.confidence())).toList();
        for (String label : p.labels()) agreementRow(h, label.strip(), usable.stream().filter(c -> c.label().equals(label)).toList());
        agreementRow(h, "all", usable);
        h.append("</table>\n");
        h.append("<figure>").append(histogram(p, usable, rule.threshold())).append("</figure>\n");
        // Duplicates.
        List<Selection.Duplicate> dups = p.result().duplicates();
        h.append("<h3>Near-duplicates removed: ").append(dups.size()).append("</h3>\n");
        if (!dups.isEmpty()) {
            h.append("<table class=\"generation-duplicates\"><tr><th>dropped</th><th>repeats (kept)</th><th>overlap</th></tr>\n");
            for (Selection.Duplicate d : dups.subList(0, Math.min(SHOWN_DUPLICATES, dups.size()))) {
                h.append("<tr><td>").append(HtmlReport.esc(d.dropped().text())).append("</td><td>").append(HtmlReport.esc(d.of().text()))
                        .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", d.overlap())).append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (dups.size() > SHOWN_DUPLICATES) h.append("<p class=\"note\">… and ").append(dups.size() - SHOWN_DUPLICATES).append(" more.</p>\n");
        }
        if (hand != null) people(h, p, hand, labelsFile);
    }

    private static void agreementRow(StringBuilder h, String label, List<Selection.Candidate> cs) {
        double[] x = cs.stream().mapToDouble(c -> c.confidence() > 0.5 ? 1 : 0).toArray();
        Estimate e = Statistics.mean(x);
        h.append("<tr><td>").append(HtmlReport.esc(label)).append("</td><td class=\"num\">").append(HtmlReport.num(e.value()))
                .append("</td><td class=\"num\">").append(ciText(e)).append("</td>").append(td(cs.size())).append("</tr>\n");
    }

    private static String ciText(Estimate e) {
        return Double.isNaN(e.ciLow()) ? "—" : "[" + HtmlReport.num(e.ciLow()) + ", " + HtmlReport.num(e.ciHigh()) + "]";
    }

    private static String td(int n) {
        return "<td class=\"num\">" + n + "</td>";
    }

    /** Bars of the usable candidates' label confidence in 20 bins of 0.05, one colour per label, the threshold a dashed line. */
    static String histogram(GeneratedSet.Part p, List<Selection.Candidate> usable, double threshold) {
        int[][] counts = new int[p.labels().size()][BINS];
        int max = 1;
        for (Selection.Candidate c : usable) {
            int bin = Math.min(BINS - 1, (int) Math.floor(c.confidence() * BINS));
            int li = p.labels().indexOf(c.label());
            max = Math.max(max, ++counts[li][bin]);
        }
        double left = 60, right = 860, top = 50, bottom = 300;
        Svg svg = new Svg(960, 350, "label confidence histogram");
        svg.text(480, 24, "Filter probability of the intended label (" + usable.size() + " usable candidates)", "middle", "font-size=\"15\" font-weight=\"bold\"");
        Axis y = new Axis(0, max, bottom, top, false, false);
        for (double t : y.ticks()) {
            if (t != Math.rint(t)) continue; // counts are whole
            svg.line(left, y.map(t), right, y.map(t), "#d0d4da", 1, null);
            svg.text(left - 6, y.map(t) + 4, String.valueOf((long) t), "end", null);
        }
        double bw = (right - left) / BINS;
        int labels = p.labels().size();
        for (int li = 0; li < labels; li++) {
            for (int b = 0; b < BINS; b++) {
                if (counts[li][b] == 0) continue;
                double x = left + b * bw + 2 + li * (bw - 4) / labels;
                svg.rect(x, y.map(counts[li][b]), (bw - 4) / labels, bottom - y.map(counts[li][b]), Palette.colour(li),
                        "class=\"bin\" data-label=\"" + Svg.escape(p.labels().get(li).strip()) + "\" data-bin=\"" + b + "\" data-count=\"" + counts[li][b] + "\"");
            }
        }
        for (int b = 0; b <= BINS; b += 4) svg.text(left + b * bw, bottom + 16, String.format(Locale.ROOT, "%.1f", b / (double) BINS), "middle", null);
        double tx = left + threshold * (right - left);
        svg.line(tx, top - 6, tx, bottom, "#1f2328", 1.5, "stroke-dasharray=\"5,4\" class=\"threshold\"");
        svg.text(tx + 4, top - 8, "threshold " + threshold, "start", null);
        for (int li = 0; li < labels; li++) {
            svg.rect(right + 14, top + li * 20, 12, 12, Palette.colour(li), null);
            svg.text(right + 32, top + li * 20 + 10, "label" + p.labels().get(li), "start", null);
        }
        svg.line(left, bottom, right, bottom, "#57606a", 1, null);
        return svg.end();
    }

    /** People against the dataset's labels (kept items), the generator's intended labels and the filter (usable candidates). */
    private static void people(StringBuilder h, GeneratedSet.Part p, Map<String, String> hand, Path file) {
        Map<String, Selection.Candidate> byKey = new HashMap<>();
        for (Selection.Candidate c : p.candidates()) {
            byKey.put("id:" + c.id(), c);
            if (c.usable()) byKey.put("text:" + Selection.normalise(c.text()), c);
        }
        java.util.Set<String> kept = new java.util.HashSet<>();
        p.result().kept().forEach(c -> kept.add(c.id()));
        List<double[]> rows = new ArrayList<>(); // [kept, agrees with intended, agrees with filter]
        hand.forEach((key, label) -> {
            Selection.Candidate c = byKey.get(key);
            if (c == null || !c.usable() || !p.labels().contains(label)) return;
            boolean intended = label.equals(c.label());
            boolean filterSays = c.confidence() > 0.5 ? intended : !intended;
            rows.add(new double[]{kept.contains(c.id()) ? 1 : 0, intended ? 1 : 0, filterSays ? 1 : 0});
        });
        h.append("<h3>Agreement with people (").append(HtmlReport.esc(file.getFileName().toString())).append(")</h3>\n");
        h.append("<table class=\"generation-people\"><tr><th>people agree with</th><th>agreement</th><th>95% CI (Wilson)</th><th>n</th></tr>\n");
        peopleRow(h, "the dataset's labels (kept items)", rows.stream().filter(x -> x[0] == 1).mapToDouble(x -> x[1]).toArray());
        peopleRow(h, "the generator's intended label (usable candidates)", rows.stream().mapToDouble(x -> x[1]).toArray());
        peopleRow(h, "the filter's more probable label (usable candidates)", rows.stream().mapToDouble(x -> x[2]).toArray());
        h.append("</table>\n<p class=\"note\">").append(rows.size()).append(" of ").append(hand.size())
                .append(" hand labels matched a usable candidate of this behaviour (by id, or by statement/question text after normalising).</p>\n");
    }

    private static void peopleRow(StringBuilder h, String what, double[] x) {
        Estimate e = Statistics.mean(x);
        h.append("<tr><td>").append(HtmlReport.esc(what)).append("</td><td class=\"num\">").append(HtmlReport.num(e.value()))
                .append("</td><td class=\"num\">").append(ciText(e)).append("</td>").append(td(x.length)).append("</tr>\n");
    }

    /**
     * Hand labels, JSONL: {@code {"id": "desire-for-power:yes:3", "label": "Yes"}}, or "statement" / "question" in place
     * of "id"; a label is Yes/No (persona: would such a person say it?) or A/B (advanced-AI-risk: the answer such an
     * AI system would give). Keyed "id:…" or "text:NORMALISED" → " Yes", " No", " (A)" or " (B)".
     */
    static Map<String, String> readLabels(Path file) {
        if (!Files.isRegularFile(file)) throw new AssayException("--labels " + file + ": no such file");
        Map<String, String> out = new LinkedHashMap<>();
        for (Records.Row row : Records.readJsonl(file)) {
            String raw = row.text("label");
            String label = switch (raw.strip().replaceAll("[()]", "").toLowerCase(Locale.ROOT)) {
                case "yes", "y", "true" -> " Yes";
                case "no", "n", "false" -> " No";
                case "a" -> " (A)";
                case "b" -> " (B)";
                default -> throw new AssayException(row.where() + ": label \"" + raw + "\" is not Yes, No, A or B");
            };
            String id = row.optText("id");
            String text = row.optText("statement") != null ? row.optText("statement") : row.optText("question");
            if (id == null && text == null) throw new AssayException(row.where() + ": a hand label needs \"id\", \"statement\" or \"question\"");
            out.put(id != null ? "id:" + id : "text:" + Selection.normalise(text), label);
        }
        if (out.isEmpty()) throw new AssayException("--labels " + file + ": no labels in it");
        return out;
    }
}
