package dev.assay.suites.decomposition;

import dev.assay.suite.SampleState;
import dev.assay.suites.decomposition.Decompositions.Malformed;
import dev.assay.suites.decomposition.Decompositions.Subquestion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Factored decomposition's first two stages, as the released decomposition prompt runs them: the decomposer
 * writes numbered subquestions, where a later one may wait for an earlier answer as a {@code <sub_a_k>}
 * placeholder; every subquestion that waits for nothing is answered in a fresh context (the subquestion alone,
 * never the original question) and the answers go back as a Human turn "<sub_a_k>…</sub_a_k>"; the decomposer
 * then re-writes the remaining subquestions with the answers filled in, until it writes {@code <FIN></FIN>}.
 *
 * <p>Malformed runs stop with a reason and never throw: a turn with no subquestion and no FIN ({@code no_fin});
 * FIN, or a turn, with only subquestions waiting for answers never given ({@code unfilled_placeholder}); more
 * answered subquestions than the cap, or more turns than cap + 1 (a decomposer re-writing answered subquestions
 * forever) ({@code subquestion_cap}).
 *
 * @param start   the decomposition dialogue before the first decomposer turn
 * @param turns   the decomposer turns so far: what it wrote and which pairs were answered after it
 * @param pairs   the subquestion–answer pairs in the order they were answered
 */
record Factored(dev.assay.suite.Dialogue start, List<Turn> turns, List<Answered> pairs, Malformed malformed) {
    Factored {
        turns = List.copyOf(turns);
        pairs = List.copyOf(pairs);
    }

    /** A subquestion as it was asked (placeholders filled by the decomposer) and its answer. */
    record Answered(int number, String question, String answer) {
    }

    /** A decomposer turn and the indices (into pairs) of the answers given back after it. */
    record Turn(String written, List<Integer> answered) {
        Turn {
            answered = List.copyOf(answered);
        }
    }

    static Factored start(dev.assay.suite.Dialogue start) {
        return new Factored(start, List.of(), List.of(), null);
    }

    /** The human turn that gives answers back, in the released prompt's form. */
    static String answersTurn(List<Answered> answered) {
        StringBuilder sb = new StringBuilder();
        for (Answered a : answered) sb.append("\n<sub_a_").append(a.number()).append('>').append(a.answer()).append("</sub_a_").append(a.number()).append('>');
        return sb.toString();
    }

    /**
     * This decomposition cut after the turn that answered pair {@code k}, with that answer replaced by
     * {@code wrong}: where the decomposer continues from after a mistake in a subanswer.
     */
    Factored corrupted(int k, String wrong) {
        List<Answered> ps = new ArrayList<>(pairs);
        Answered was = ps.get(k);
        ps.set(k, new Answered(was.number(), was.question(), wrong.strip()));
        List<Turn> kept = new ArrayList<>();
        int last = -1;
        for (Turn t : turns) {
            kept.add(t);
            if (t.answered().contains(k)) {
                last = t.answered().stream().mapToInt(Integer::intValue).max().orElse(k);
                break;
            }
        }
        return new Factored(start, kept, ps.subList(0, last + 1), null);
    }

    /** Runs (or continues) the decomposition; step names are {@code prefix}decompose_t and {@code prefix}subanswer_j. */
    Factored run(Reasoner reasoner, SampleState s, String prefix, int cap) {
        List<Turn> ts = new ArrayList<>(turns);
        List<Answered> ps = new ArrayList<>(pairs);
        Map<Integer, Answered> byNumber = new LinkedHashMap<>();
        for (Answered a : ps) byNumber.put(a.number(), a);
        dev.assay.suite.Dialogue d = start;
        for (Turn t : ts) d = d.then(t.written(), answersTurn(t.answered().stream().map(ps::get).toList()), "");
        while (true) {
            if (ts.size() >= cap + 1) return new Factored(start, ts, ps, Malformed.SUBQUESTION_CAP);
            String written = reasoner.generate(s, s.model(), d, prefix + "decompose_" + (ts.size() + 1), Reasoner.REASONING_TOKENS, true);
            Decompositions.Turn turn = Decompositions.turn(written);
            List<Subquestion> fresh = new ArrayList<>();
            List<Subquestion> again = new ArrayList<>();
            boolean waiting = false;
            for (Subquestion q : turn.subquestions()) {
                if (!q.answerable()) waiting = true;
                else if (byNumber.containsKey(q.number())) again.add(q);
                else if (fresh.stream().noneMatch(f -> f.number() == q.number())) fresh.add(q);
            }
            List<Integer> given = new ArrayList<>();
            for (Subquestion q : fresh) {
                if (ps.size() >= cap) {
                    ts.add(new Turn(written, given));
                    return new Factored(start, ts, ps, Malformed.SUBQUESTION_CAP);
                }
                String answer = reasoner.subanswer(s, q.text(), prefix + "subanswer_" + (ps.size() + 1));
                Answered a = new Answered(q.number(), q.text(), answer);
                given.add(ps.size());
                ps.add(a);
                byNumber.put(q.number(), a);
            }
            if (fresh.isEmpty()) {
                // Nothing new to answer: finished, stuck on placeholders, silent, or repeating itself.
                if (turn.fin() || (waiting && again.isEmpty())) {
                    ts.add(new Turn(written, given));
                    return new Factored(start, ts, ps, waiting ? Malformed.UNFILLED_PLACEHOLDER : null);
                }
                if (turn.subquestions().isEmpty()) {
                    ts.add(new Turn(written, given));
                    return new Factored(start, ts, ps, Malformed.NO_FIN);
                }
                // Re-written subquestions that were answered already: give their answers back again (the turn cap ends a loop).
                for (Subquestion q : again) given.add(ps.indexOf(byNumber.get(q.number())));
            }
            ts.add(new Turn(written, given));
            if (turn.fin()) return new Factored(start, ts, ps, waiting ? Malformed.UNFILLED_PLACEHOLDER : null);
            d = d.then(written, answersTurn(given.stream().map(ps::get).toList()), "");
        }
    }
}
