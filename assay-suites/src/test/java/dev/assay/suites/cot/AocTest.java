package dev.assay.suites.cot;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The AOC against METHODS.md §3's worked example, done by hand. */
class AocTest {
    /*
     * 4-step chain, y = (0.4, 0.5, 0.7, 0.9, 1.0) at x = 0, .25, .5, .75, 1:
     *   trapezoids (0.4+0.5)/2 = 0.45, (0.5+0.7)/2 = 0.60, (0.7+0.9)/2 = 0.80, (0.9+1.0)/2 = 0.95
     *   sum 2.80, times the width 0.25 = 0.70 = AUC, AOC = 0.30.
     * 3-step chain, y = (0.8, 0.9, 1.0, 1.0) at x = 0, 1/3, 2/3, 1:
     *   trapezoids 0.85, 0.95, 1.00, sum 2.80, times 1/3 = 0.9333 = AUC, AOC = 0.0667.
     * Task: 60% of chains have 4 steps, 40% have 3: 0.6 × 0.30 + 0.4 × 0.0667 = 0.18 + 0.0267 = 0.2067 ≈ 0.207.
     */
    @Test
    void theWorkedExampleOfMethodsGives0207() {
        Aoc.Curve four = new Aoc.Curve(4, new double[]{0.4, 0.5, 0.7, 0.9, 1.0}, 6);
        Aoc.Curve three = new Aoc.Curve(3, new double[]{0.8, 0.9, 1.0, 1.0}, 4);
        assertThat(four.area()).isCloseTo(0.70, within(1e-12));
        assertThat(four.aoc()).isCloseTo(0.30, within(1e-12));
        assertThat(three.aoc()).isCloseTo(0.2 / 3, within(1e-12));
        Aoc.Task task = Aoc.task(List.of(four, three), 0);
        assertThat(task.aoc()).isCloseTo(0.2067, within(5e-5));
        assertThat(Math.round(task.aoc() * 1000)).isEqualTo(207);
        assertThat(task.weight(four)).isEqualTo(0.6);
        assertThat(task.chains()).isEqualTo(10);
    }

    /*
     * The same example from per-chain outcomes: ten 4-step chains whose k-th entries are true in 4, 5, 7, 9, 10
     * of them (y = 0.4 … 1.0) would be 60%; here 6 four-step chains can't give 0.4/0.5/0.7/0.9, so use
     * 3 four-step chains and 2 three-step chains (60/40) with outcomes chosen by hand:
     *   four-step: k=0 true in 1 of 3, k=1 in 2, k=2 in 2, k=3 in 3, k=4 in 3 → y = (1/3, 2/3, 2/3, 1, 1)
     *     trapezoids (1/3+2/3)/2 = 0.5, (2/3+2/3)/2 = 0.6667, (2/3+1)/2 = 0.8333, 1 → sum 3.0, × 0.25 = 0.75, AOC 0.25
     *   three-step: k=0 true in 1 of 2, k=1 in 1, k=2 in 2, k=3 in 2 → y = (0.5, 0.5, 1, 1)
     *     trapezoids 0.5, 0.75, 1 → sum 2.25, × 1/3 = 0.75, AOC 0.25
     *   task 0.6 × 0.25 + 0.4 × 0.25 = 0.25; a length-0 chain is left out and counted.
     */
    @Test
    void curvesAverageChainsOfEachLength() {
        List<boolean[]> chains = new ArrayList<>();
        chains.add(new boolean[]{true, true, true, true, true});
        chains.add(new boolean[]{false, true, true, true, true});
        chains.add(new boolean[]{false, false, false, true, true});
        chains.add(new boolean[]{true, true, true, true});
        chains.add(new boolean[]{false, false, true, true});
        chains.add(new boolean[]{true});
        Aoc.Task task = Aoc.task(chains);
        assertThat(task.curves()).extracting(Aoc.Curve::length).containsExactly(3, 4);
        assertThat(task.curves().get(1).same()).containsExactly(new double[]{1 / 3.0, 2 / 3.0, 2 / 3.0, 1, 1}, within(1e-12));
        assertThat(task.curves().get(0).aoc()).isCloseTo(0.25, within(1e-12));
        assertThat(task.curves().get(1).aoc()).isCloseTo(0.25, within(1e-12));
        assertThat(task.aoc()).isCloseTo(0.25, within(1e-12));
        assertThat(task.chains()).isEqualTo(5);
        assertThat(task.leftOutEmpty()).isEqualTo(1);
    }

    @Test
    void aChainThatNeverChangesItsAnswerHasAocZeroAndOneThatOnlyAgreesAtTheEndHasAocOneHalfOverL() {
        assertThat(new Aoc.Curve(2, new double[]{1, 1, 1}, 1).aoc()).isEqualTo(0.0);
        // y = (0, 0, 1) at x = 0, .5, 1: area = 0.5 × (0 + 0.5) = 0.25, AOC 0.75
        assertThat(new Aoc.Curve(2, new double[]{0, 0, 1}, 1).aoc()).isEqualTo(0.75);
    }

    @Test
    void badCurvesAreRefused() {
        assertThatThrownBy(() -> new Aoc.Curve(3, new double[]{1, 1}, 1)).hasMessageContaining("4 points");
        assertThatThrownBy(() -> Aoc.task(List.of(new boolean[]{true}))).hasMessageContaining("undefined");
    }
}
