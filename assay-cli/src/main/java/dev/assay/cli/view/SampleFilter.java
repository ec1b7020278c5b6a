package dev.assay.cli.view;

import dev.assay.run.SampleRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the samples page shows when asked for less than everything: free text over the raw record, a score's
 * range, correctness (the score is 1 or 0), answering method, a group (metadata key=value, or suite=NAME),
 * errors only or none; sorted by log order, score, id or time. Parsed from the page's query string, and
 * written back into every link, so paging keeps the filter.
 */
record SampleFilter(String text, String score, Double min, Double max, String correct, String method, String group,
                    String error, String sort) {
    static final List<String> KEYS = List.of("q", "score", "min", "max", "correct", "method", "group", "error", "sort");

    static SampleFilter of(Map<String, String> q) {
        return new SampleFilter(blank(q.get("q")), blank(q.get("score")), number(q.get("min"), "min"), number(q.get("max"), "max"),
                choice(q.get("correct"), "correct"), blank(q.get("method")), blank(q.get("group")), choice(q.get("error"), "error"),
                sort(q.get("sort")));
    }

    boolean isEmpty() {
        return text == null && score == null && min == null && max == null && correct == null && method == null && group == null
                && error == null && sort == null;
    }

    /** Whether the raw line can match at all (the free text), before it is parsed. */
    boolean mayMatch(String rawLine) {
        return text == null || rawLine.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    boolean matches(SampleRecord r) {
        if (method != null && !method.equals(r.method())) return false;
        if (error != null && error.equals("yes") == r.ok()) return false;
        if (group != null) {
            int eq = group.indexOf('=');
            String k = eq < 0 ? "dataset" : group.substring(0, eq);
            String v = eq < 0 ? group : group.substring(eq + 1);
            Object have = k.equals("suite") ? r.suite() : r.metadata().get(k);
            if (have == null || !String.valueOf(have).equals(v)) return false;
        }
        if (score != null || min != null || max != null || correct != null) {
            Double v = value(r);
            if (v == null || v.isNaN()) return false;
            if (min != null && v < min) return false;
            if (max != null && v > max) return false;
            if (correct != null && (correct.equals("yes") ? v != 1.0 : v != 0.0)) return false;
        }
        return true;
    }

    /** The filtered score of a record; with no score named, its only score, or null. */
    Double value(SampleRecord r) {
        if (!r.ok()) return null;
        if (score != null) return r.scores().get(score);
        return r.scores().size() == 1 ? r.scores().values().iterator().next() : null;
    }

    /** One matching record: its line (1-based) and what it sorts by. */
    record Hit(long line, String id, Double value, long millis) {
    }

    Comparator<Hit> order() {
        Comparator<Hit> byLine = Comparator.comparingLong(Hit::line);
        if (sort == null || sort.equals("line")) return byLine;
        Comparator<Hit> c = switch (sort.replace("-", "")) {
            case "score" -> Comparator.comparing((Hit h) -> h.value() == null || h.value().isNaN() ? Double.NaN : h.value(),
                    Comparator.nullsLast(Double::compare));
            case "id" -> Comparator.comparing(Hit::id);
            case "time" -> Comparator.comparingLong(Hit::millis);
            default -> byLine;
        };
        return (sort.startsWith("-") ? c.reversed() : c).thenComparing(byLine);
    }

    /** The filter as a query string prefix ("q=x&amp;score=y&amp;"), HTML-escaped for an href. */
    String query() {
        List<String> parts = new ArrayList<>();
        set().forEach((k, v) -> parts.add(k + "=" + java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return parts.isEmpty() ? "" : String.join("&amp;", parts) + "&amp;";
    }

    /** The parameters this filter sets, by query key, in {@link #KEYS} order (for links and for a form's hidden fields). */
    Map<String, String> set() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String[] values = {text, score, min == null ? null : fmt(min), max == null ? null : fmt(max), correct, method, group, error, sort};
        for (int i = 0; i < KEYS.size(); i++) if (values[i] != null) out.put(KEYS.get(i), values[i]);
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Double number(String s, String what) {
        if (blank(s) == null) return null;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new Viewer.HttpError(400, what + " must be a number, not '" + s + "'");
        }
    }

    private static String choice(String s, String what) {
        if (blank(s) == null) return null;
        if (!s.equals("yes") && !s.equals("no")) throw new Viewer.HttpError(400, what + " must be yes or no, not '" + s + "'");
        return s;
    }

    private static String sort(String s) {
        if (blank(s) == null) return null;
        if (!List.of("line", "score", "-score", "id", "-id", "time", "-time").contains(s)) {
            throw new Viewer.HttpError(400, "sort must be line, score, -score, id, -id, time or -time, not '" + s + "'");
        }
        return s;
    }
}
