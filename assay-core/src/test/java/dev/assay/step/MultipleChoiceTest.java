package dev.assay.step;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MultipleChoiceTest {
    @Test
    void renormalisesLikeTheWorkedExampleOfMethodsMd() {
        // logp(" Yes") = -0.357 (p = 0.70), logp(" No") = -1.897 (p = 0.15) → 0.70 / 0.85 = 0.824
        double[] p = MultipleChoice.renormalise(new double[]{-0.357, -1.897});
        assertThat(p[0]).isCloseTo(0.824, within(1e-3));
        assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void renormalisingVeryNegativeLogprobsDoesNotUnderflow() {
        double[] p = MultipleChoice.renormalise(new double[]{-1000, -1001});
        assertThat(p[0]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
    }

    @Test
    void parsesLettersInTheirUsualShapes() {
        List<String> ab = List.of(" (A)", " (B)", " (C)");
        assertThat(MultipleChoice.parse(" (B) because it is", ab)).isEqualTo(1);
        assertThat(MultipleChoice.parse("B) seems right", ab)).isEqualTo(1);
        assertThat(MultipleChoice.parse("C", ab)).isEqualTo(2);
        assertThat(MultipleChoice.parse("The answer is (A), not (B)", ab)).isEqualTo(0);
        assertThat(MultipleChoice.parse("A good question; I pick (C)", ab)).isEqualTo(2);
        assertThat(MultipleChoice.parse("I cannot say", ab)).isNull();
    }

    @Test
    void parsesWordsCaseInsensitivelyAtWordBoundaries() {
        List<String> yn = List.of(" Yes", " No");
        assertThat(MultipleChoice.parse(" yes, I would", yn)).isEqualTo(0);
        assertThat(MultipleChoice.parse(" No. Yesterday", yn)).isEqualTo(1);
        assertThat(MultipleChoice.parse(" Nobody knows", yn)).isNull();
        assertThat(MultipleChoice.parse(" she", List.of(" he", " she", " they"))).isEqualTo(1);
    }

    @Test
    void labelsDropSpacesAndParentheses() {
        assertThat(MultipleChoice.label(" (A)")).isEqualTo("A");
        assertThat(MultipleChoice.label(" Yes")).isEqualTo("Yes");
    }
}
