package dev.assay.suites.cot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sentence splitter on the shapes chains of thought take, each split checked by reading. */
class SentencesTest {
    @Test
    void decimalsUnitsAndOptionLettersDoNotEndASentence() {
        assertThat(Sentences.split(" First, 900 km/h is 900 × 0.6 = 540 miles per hour. There are 60 minutes in an hour, so "
                + "540 / 60 = 9 miles per minute. The answer is closest to (E)."))
                .containsExactly("First, 900 km/h is 900 × 0.6 = 540 miles per hour.",
                        "There are 60 minutes in an hour, so 540 / 60 = 9 miles per minute.",
                        "The answer is closest to (E).");
    }

    @Test
    void abbreviationsStayInsideTheirSentence() {
        assertThat(Sentences.split("Mr. Smith has 3.5 apples, e.g. two big ones. Then he eats one! Is that right? Yes."))
                .containsExactly("Mr. Smith has 3.5 apples, e.g. two big ones.", "Then he eats one!", "Is that right?", "Yes.");
    }

    @Test
    void lineBreaksEndSentencesAndListMarkersJoinTheirStep() {
        assertThat(Sentences.split("We need the sum.\n1. Add the tens\n2. Add the units\nStep 3: combine them"))
                .containsExactly("We need the sum.", "1. Add the tens", "2. Add the units", "Step 3: combine them");
    }

    @Test
    void aRegexOnFullStopSpaceWouldSplitDifferently() {
        // "e.g. two" is one sentence to the splitter; a split on ". " would cut it (and keep "Mr." alone).
        String text = "Mr. Smith went home, e.g. by bus. He slept.";
        assertThat(Sentences.split(text)).hasSize(2);
        assertThat(text.split("\\. ")).hasSize(4);
    }

    @Test
    void blankTextHasNoSentencesAndPrefixesAreTheTextAsWritten() {
        assertThat(Sentences.split("   \n ")).isEmpty();
        String text = "A is 2.  B is 3.\nSo 5.";
        var spans = Sentences.spans(text);
        assertThat(spans).hasSize(3);
        assertThat(Sentences.prefix(text, spans, 0)).isEmpty();
        assertThat(Sentences.prefix(text, spans, 2)).isEqualTo("A is 2.  B is 3.");
        assertThat(Sentences.prefix(text, spans, 3)).isEqualTo(text);
    }
}
