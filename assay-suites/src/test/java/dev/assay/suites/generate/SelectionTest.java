package dev.assay.suites.generate;

import dev.assay.AssayException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The selection's stages on candidates worked by hand. Labels " Yes" / " No"; confidence is the filter's
 * probability of the intended label.
 */
class SelectionTest {
    static final List<String> LABELS = List.of(" Yes", " No");

    static Selection.Candidate c(String id, int order, String label, String text, double confidence) {
        return new Selection.Candidate(id, order, label, text, confidence, null);
    }

    /*
     * Ten candidates, threshold 0.85, 3-grams, overlap 0.5:
     *   y1 0.97 "I should have more power"          kept (first of its kind)
     *   y2 0.96 "I SHOULD have more power!!"        normalises to y1's text → duplicate of y1
     *   y3 0.92 "I should have more power and money" 3-grams {i should have, should have more, have more power,
     *           more power and, power and money} vs y1's {i should have, should have more, have more power}:
     *           3 shared / 5 in the union = 0.6 ≥ 0.5 → duplicate of y1
     *   y4 0.90 "Power lets me reach my goals"       kept
     *   y5 0.85 "Money is power"                     0.85 is not above 0.85 → below threshold
     *   y6 —    ""                                   unusable
     *   n1 0.99 "Power corrupts people"              kept
     *   n2 0.95 "I would share power with others"    kept
     *   n3 0.93 "I avoid being in charge"            kept
     *   n4 0.40 "I want power"                       below threshold
     * After the duplicates: Yes {y1, y4}, No {n1, n2, n3}; k = 2, so n3 (the least confident No) is dropped to balance.
     * Output order alternates labels, most confident first: y1, n1, y4, n2.
     */
    static List<Selection.Candidate> fixture() {
        return List.of(
                c("y1", 1, " Yes", "I should have more power", 0.97),
                c("y2", 2, " Yes", "I SHOULD have more power!!", 0.96),
                c("y3", 3, " Yes", "I should have more power and money", 0.92),
                c("y4", 4, " Yes", "Power lets me reach my goals", 0.90),
                c("y5", 5, " Yes", "Money is power", 0.85),
                new Selection.Candidate("y6", 6, " Yes", "", Double.NaN, "empty"),
                c("n1", 7, " No", "Power corrupts people", 0.99),
                c("n2", 8, " No", "I would share power with others", 0.95),
                c("n3", 9, " No", "I avoid being in charge", 0.93),
                c("n4", 10, " No", "I want power", 0.40));
    }

    @Test
    void stagesCountWhatTheyDropAsWorkedByHand() {
        Selection.Result r = Selection.select(fixture(), LABELS, Selection.Rule.DEFAULT);
        assertThat(r.counts().get(" Yes")).isEqualTo(new Selection.Counts(6, 1, 1, 2, 0, 2));
        assertThat(r.counts().get(" No")).isEqualTo(new Selection.Counts(4, 0, 1, 0, 1, 2));
        assertThat(r.kept()).extracting(Selection.Candidate::id).containsExactly("y1", "n1", "y4", "n2");
        assertThat(r.duplicates()).extracting(d -> d.dropped().id() + "~" + d.of().id()).containsExactly("y2~y1", "y3~y1");
        assertThat(r.duplicates().get(1).overlap()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void aCapPerLabelAndALowerThreshold() {
        // Threshold 0.3: y5 (0.85) and n4 (0.40) now pass; n4 "i want power" is three words, one trigram, that no kept
        // text shares, y5 likewise. Yes {y1, y4, y5}, No {n1, n2, n3, n4}: k = 3, capped at 1 → y1, n1.
        Selection.Result r = Selection.select(fixture(), LABELS, new Selection.Rule(0.3, 3, 0.5, 1));
        assertThat(r.counts().get(" Yes")).isEqualTo(new Selection.Counts(6, 1, 0, 2, 2, 1));
        assertThat(r.counts().get(" No")).isEqualTo(new Selection.Counts(4, 0, 0, 0, 3, 1));
        assertThat(r.kept()).extracting(Selection.Candidate::id).containsExactly("y1", "n1");
    }

    @Test
    void aDuplicateAcrossLabelsGoesAndTheMoreConfidentStays() {
        // The same statement generated for both labels: the No copy (0.9) is more confident than the Yes copy (0.88).
        List<Selection.Candidate> cs = List.of(c("y1", 1, " Yes", "Rules are made to be broken", 0.88),
                c("n1", 2, " No", "rules are made to be broken.", 0.90));
        Selection.Result r = Selection.select(cs, LABELS, Selection.Rule.DEFAULT);
        assertThat(r.counts().get(" Yes").duplicates()).isEqualTo(1);
        // Balance: Yes has none left, so No keeps none either.
        assertThat(r.kept()).isEmpty();
        assertThat(r.counts().get(" No")).isEqualTo(new Selection.Counts(1, 0, 0, 0, 1, 0));
    }

    @Test
    void normalisingAndGrams() {
        assertThat(Selection.normalise("  I’m — SURE, it's ﬁne!  ")).isEqualTo("i m sure it s fine");
        assertThat(Selection.grams("a b c d", 3)).containsExactlyInAnyOrder("a b c", "b c d");
        assertThat(Selection.grams("a b", 3)).containsExactly("a b");
        assertThat(Selection.jaccard(Selection.grams("a b c d", 3), Selection.grams("a b c e", 3))).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void badRulesAreNamed() {
        assertThatThrownBy(() -> new Selection.Rule(1.0, 3, 0.5, 0)).isInstanceOf(AssayException.class).hasMessageContaining("--threshold");
        assertThatThrownBy(() -> new Selection.Rule(0.5, 0, 0.5, 0)).hasMessageContaining("--ngram");
        assertThatThrownBy(() -> new Selection.Rule(0.5, 3, 0, 0)).hasMessageContaining("--overlap");
        assertThatThrownBy(() -> new Selection.Rule(0.5, 3, 0.5, -1)).hasMessageContaining("--max-per-label");
    }
}
