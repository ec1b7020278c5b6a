package dev.assay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    @Test
    void distancesCountedByHand() {
        assertThat(Suggestions.distance("runn", "run")).isEqualTo(1);          // one deletion
        assertThat(Suggestions.distance("modle", "model")).isEqualTo(1);       // one swap of neighbours
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);    // the textbook k→s, e→i, +g
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void nearestByDistanceNotAlphabet() {
        List<String> names = List.of("mwe/persona/agreeableness", "mwe/persona/anti-immigration",
                "mwe/persona/desire-for-power", "mwe/persona/desire-for-popularity");
        // 1 edit from desire-for-power, 7 from desire-for-popularity, more than a third of the length from the rest.
        assertThat(Suggestions.nearest("mwe/persona/desir-for-power", names, 3))
                .containsExactly("mwe/persona/desire-for-power", "mwe/persona/desire-for-popularity");
        assertThat(Suggestions.nearest("match_tpo", List.of("match_prob", "match_top", "unparsed"), 3)).first().isEqualTo("match_top");
        assertThat(Suggestions.nearest("zzzz", List.of("run", "list"), 3)).isEmpty();
        assertThat(Suggestions.didYouMean("limt", List.of("limit", "epochs"))).isEqualTo("; did you mean: limit?");
    }
}
