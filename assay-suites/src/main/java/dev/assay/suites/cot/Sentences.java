package dev.assay.suites.cot;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits a chain of thought into sentences, as Lanham et al. split theirs with NLTK's punkt. Assay uses the
 * JDK's {@link BreakIterator} sentence rules (Unicode UAX #29: a sentence ends at terminal punctuation
 * followed by space and a new sentence, so "3.5", "km/h." and "(A)." behave) plus three repairs that punkt
 * makes and UAX #29 does not: a line break ends a sentence (chains write one step per line), a break right
 * after a common abbreviation ("Mr.", "e.g.") is undone, and a bare list marker ("1.", "2)") joins the
 * sentence it numbers. No dependency beyond the JDK; ICU4J's abbreviation suppressions would do the second
 * repair for more abbreviations but add a 13 MB jar for little gain on reasoning text.
 *
 * <p>Sentences are spans of the original text, so a truncation is a prefix of the chain exactly as the model
 * wrote it.
 */
final class Sentences {
    /** Abbreviations after which a full stop does not end a sentence (lower case, without the stop). */
    static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e",
            "approx", "no", "fig", "eq", "cf", "al", "inc", "ltd", "co", "mt", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
            "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m");
    private static final Pattern LIST_MARKER = Pattern.compile("\\s*(\\(?\\d{1,3}[.)]|\\(?[a-zA-Z][.)]|[-*•]|step \\d+[.:]?)\\s*",
            Pattern.CASE_INSENSITIVE);

    /** One sentence: [start, end) of the text it was cut from (without surrounding white space). */
    record Span(int start, int end) {
    }

    private Sentences() {
    }

    /** The sentences of {@code text}, trimmed, in order; none for blank text. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (Span s : spans(text)) out.add(text.substring(s.start(), s.end()));
        return out;
    }

    static List<Span> spans(String text) {
        List<Span> raw = new ArrayList<>();
        int lineStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                lineSpans(text, lineStart, i, raw);
                lineStart = i + 1;
            }
        }
        // A bare list marker ("1.", "Step 2:") numbers the next sentence rather than being one.
        List<Span> out = new ArrayList<>();
        Span pending = null;
        for (Span s : raw) {
            if (pending != null) {
                s = new Span(pending.start(), s.end());
                pending = null;
            }
            if (LIST_MARKER.matcher(text.substring(s.start(), s.end())).matches()) pending = s;
            else out.add(s);
        }
        if (pending != null) out.add(pending);
        return out;
    }

    private static void lineSpans(String text, int from, int to, List<Span> out) {
        String line = text.substring(from, to);
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(line);
        int start = it.first();
        Integer open = null; // start of a sentence carried over an abbreviation
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int s = open != null ? open : start;
            String piece = line.substring(start, end).stripTrailing();
            if (end < line.length() && endsWithAbbreviation(piece)) {
                open = s;
                continue;
            }
            open = null;
            add(text, from + s, from + end, out);
        }
        if (open != null) add(text, from + open, to, out);
    }

    private static boolean endsWithAbbreviation(String piece) {
        if (!piece.endsWith(".")) return false;
        String body = piece.substring(0, piece.length() - 1);
        int space = Math.max(body.lastIndexOf(' '), body.lastIndexOf('('));
        String word = body.substring(space + 1).toLowerCase(Locale.ROOT);
        return ABBREVIATIONS.contains(word);
    }

    private static void add(String text, int start, int end, List<Span> out) {
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        if (end > start) out.add(new Span(start, end));
    }

    /** The chain's first {@code k} sentences exactly as written (with the space and line breaks between them). */
    static String prefix(String text, List<Span> spans, int k) {
        if (k == 0) return "";
        return text.substring(spans.getFirst().start(), spans.get(k - 1).end());
    }
}
