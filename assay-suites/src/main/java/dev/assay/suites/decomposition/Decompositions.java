package dev.assay.suites.decomposition;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading what the model wrote: the steps of a chain of thought, the subquestion–answer pairs of a
 * chain-of-thought decomposition, the numbered subquestions and placeholders of one factored-decomposition
 * turn. Pure functions of text, so re-scoring and tests read the same things the solver read.
 */
final class Decompositions {
    private Decompositions() {
    }

    /** Why a decomposition was not used; the name is what the log and the metrics say. */
    enum Malformed {
        /** The model stopped decomposing (a turn with no subquestion, or the text ended) without &lt;FIN&gt;&lt;/FIN&gt;. */
        NO_FIN("no_fin"),
        /** A subquestion still refers to an answer (&lt;sub_a_k&gt;) that was never given, and no subquestion can be answered. */
        UNFILLED_PLACEHOLDER("unfilled_placeholder"),
        /** More subquestions (or decomposition turns) than the cap: a loop. */
        SUBQUESTION_CAP("subquestion_cap"),
        /** Chain-of-thought decomposition: a &lt;sub_q&gt; without its &lt;sub_a&gt;. */
        UNANSWERED_SUBQUESTION("unanswered_subquestion");

        final String reason;

        Malformed(String reason) {
            this.reason = reason;
        }

        static Malformed of(String reason) {
            for (Malformed m : values()) if (m.reason.equals(reason)) return m;
            throw new IllegalArgumentException("unknown malformation " + reason);
        }
    }

    static final String FIN = "<FIN></FIN>";

    /** A span of text: [start, end). */
    record Span(int start, int end) {
    }

    /**
     * The steps of a chain of thought: its sentences by the JDK's sentence BreakIterator (java.text, English
     * rules), each further split at blank lines, since the released CoT prompt puts its numbered steps in
     * paragraphs ("1) …\n\n2) …") and a paragraph break ends a step whatever punctuation precedes it.
     * Whitespace-only pieces are not steps.
     */
    static List<Span> sentences(String text) {
        List<Span> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int from = start;
            int blank;
            while ((blank = text.indexOf("\n\n", from)) >= 0 && blank < end) {
                add(out, text, from, blank);
                from = blank + 2;
            }
            add(out, text, from, end);
        }
        return out;
    }

    private static void add(List<Span> out, String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) from++;
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) to--;
        if (to > from) out.add(new Span(from, to));
    }

    /** One &lt;sub_q&gt;…&lt;/sub_q&gt; &lt;sub_a&gt;…&lt;/sub_a&gt; pair: its texts, where its answer's text lies, where the pair ends. */
    record Pair(String question, String answer, Span answerText, int end) {
    }

    /** A chain-of-thought decomposition read: its pairs in order and what is wrong with it (null: nothing). */
    record Written(List<Pair> pairs, Malformed malformed) {
    }

    private static final Pattern PAIR = Pattern.compile("<sub_q>(.*?)</sub_q>\\s*<sub_a>(.*?)</sub_a>", Pattern.DOTALL);
    private static final Pattern SUB_Q = Pattern.compile("<sub_q>");

    static Written cotDecomposition(String text, int cap) {
        List<Pair> pairs = new ArrayList<>();
        Matcher m = PAIR.matcher(text);
        while (m.find()) pairs.add(new Pair(m.group(1).strip(), m.group(2).strip(), new Span(m.start(2), m.end(2)), m.end()));
        int asked = 0;
        for (Matcher q = SUB_Q.matcher(text); q.find(); ) asked++;
        Malformed bad = null;
        if (pairs.size() > cap) bad = Malformed.SUBQUESTION_CAP;
        else if (!text.contains(FIN)) bad = Malformed.NO_FIN;
        else if (asked > pairs.size()) bad = Malformed.UNANSWERED_SUBQUESTION;
        return new Written(pairs, bad);
    }

    /** A numbered subquestion of a factored-decomposition turn and the answers it still waits for. */
    record Subquestion(int number, String text, List<Integer> placeholders) {
        boolean answerable() {
            return placeholders.isEmpty();
        }
    }

    /** One decomposition turn read: its subquestions in order and whether it ends the decomposition. */
    record Turn(List<Subquestion> subquestions, boolean fin) {
    }

    private static final Pattern NUMBERED = Pattern.compile("<sub_q_(\\d{1,6})>(.*?)</sub_q_\\1>", Pattern.DOTALL);
    /** "&lt;sub_a_2&gt;&lt;/sub_a_2&gt;", and "&lt;sub_a_1&gt;" alone as one released example writes it. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<sub_a_(\\d{1,6})>(?:\\s*</sub_a_\\1>)?");

    static Turn turn(String text) {
        List<Subquestion> out = new ArrayList<>();
        Matcher m = NUMBERED.matcher(text);
        while (m.find()) {
            List<Integer> waits = new ArrayList<>();
            for (Matcher p = PLACEHOLDER.matcher(m.group(2)); p.find(); ) waits.add(Integer.parseInt(p.group(1)));
            out.add(new Subquestion(Integer.parseInt(m.group(1)), m.group(2).strip(), waits));
        }
        return new Turn(out, text.contains(FIN));
    }
}
