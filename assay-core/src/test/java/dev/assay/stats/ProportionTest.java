package dev.assay.stats;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProportionTest {

    /** Clopper–Pearson from commons-math3's Beta (a different library from the code's commons-statistics). */
    static double[] exact(int x, int n) {
        double lo = x == 0 ? 0 : new BetaDistribution(x, n - x + 1).inverseCumulativeProbability(0.025);
        double hi = x == n ? 1 : new BetaDistribution(x + 1, n - x).inverseCumulativeProbability(0.975);
        return new double[]{lo, hi};
    }

    @Test
    void zeroEventsGiveTheRuleOfThreeBound() {
        Proportion p = Proportion.of(0, 10_000);
        // By hand: P(0 events | p) = (1-p)^n = 0.05  =>  p = 1 - 0.05^(1/10000) = 1 - exp(ln 0.05 / 10000)
        // = 1 - exp(-2.995732e-4) = 2.995284e-4 (rule of three: 3/n = 3.0e-4).
        assertThat(p.upper95()).isCloseTo(2.995284e-4, within(1e-9));
        assertThat(p.label()).isEqualTo("0 / 10,000, ≤ 3.0e-4");
        assertThat(p.exactLow()).isZero();
        // two-sided: 1 - 0.025^(1/n) = 1 - exp(ln 0.025 / 10000) = 3.688201e-4
        assertThat(p.exactHigh()).isCloseTo(3.688201e-4, within(1e-9));
        // Wilson at x = 0: z²/(n + z²) = 3.841459 / 10003.841459 = 3.839984e-4
        assertThat(p.wilsonHigh()).isCloseTo(3.839984e-4, within(1e-9));
        assertThat(p.wilsonLow()).isZero();
    }

    @Test
    void thePapersHeadlineCount() {
        Proportion p = Proportion.of(45, 32_768);
        assertThat(p.label()).isEqualTo("45 / 32,768");
        double[] e = exact(45, 32_768);
        assertThat(p.exactLow()).isCloseTo(e[0], within(1e-9));
        assertThat(p.exactHigh()).isCloseTo(e[1], within(1e-9));
        assertThat(p.rate()).isCloseTo(0.001373291, within(1e-9)); // 45 / 32768 by hand
        // The exact interval is the wider, as it must be for a small count.
        assertThat(p.exactHigh() - p.exactLow()).isGreaterThan(p.wilsonHigh() - p.wilsonLow());
        assertThat(p.exactLow()).isBetween(9.0e-4, 1.1e-3);
        assertThat(p.exactHigh()).isBetween(1.7e-3, 1.9e-3);
    }

    @Test
    void publishedTableValues() {
        // Clopper & Pearson-style table (e.g. Newcombe 1998, Table I, "exact" method): 1/10 -> [0.0025, 0.4450];
        // 0/10 -> [0, 0.3085]; 10/10 -> [0.6915, 1].
        Proportion one = Proportion.of(1, 10);
        assertThat(one.exactLow()).isCloseTo(0.0025, within(5e-5));
        assertThat(one.exactHigh()).isCloseTo(0.4450, within(5e-5));
        assertThat(Proportion.of(0, 10).exactHigh()).isCloseTo(0.3085, within(5e-5));
        assertThat(Proportion.of(10, 10).exactLow()).isCloseTo(0.6915, within(5e-5));
        assertThat(Proportion.of(10, 10).exactHigh()).isEqualTo(1.0);
        // Newcombe's Table I, Wilson score method: 1/10 -> [0.0179, 0.4042]
        assertThat(one.wilsonLow()).isCloseTo(0.0179, within(5e-5));
        assertThat(one.wilsonHigh()).isCloseTo(0.4042, within(5e-5));
    }

    @Test
    void wilsonAgreesWithTheScoreTestInvertedAsAQuadratic() {
        // Wilson's bounds are the roots p of (p - x/n)^2 = z^2 p(1-p)/n, i.e.
        // (n + z^2) p^2 - (2x + z^2) p + x^2/n = 0, solved here with the quadratic formula.
        double z = 1.959963984540054;
        for (int[] c : new int[][]{{7, 7}, {3, 40}, {45, 32_768}, {500, 1000}}) {
            int x = c[0], n = c[1];
            double a = n + z * z, b = -(2.0 * x + z * z), cc = (double) x * x / n;
            double disc = Math.sqrt(b * b - 4 * a * cc);
            Proportion p = Proportion.of(x, n);
            assertThat(p.wilsonLow()).as("%d/%d", x, n).isCloseTo((-b - disc) / (2 * a), within(1e-9));
            assertThat(p.wilsonHigh()).as("%d/%d", x, n).isCloseTo(Math.min(1, (-b + disc) / (2 * a)), within(1e-9));
            double[] e = exact(x, n);
            assertThat(p.exactLow()).isCloseTo(e[0], within(1e-9));
            assertThat(p.exactHigh()).isCloseTo(e[1], within(1e-9));
        }
    }

    @Test
    void binaryValuesOnlyAndBadCountsRefused() {
        assertThat(Proportion.ofBinary(new double[]{0, 1, 1, 0})).extracting(Proportion::count, Proportion::n).containsExactly(2L, 4L);
        assertThat(Proportion.ofBinary(new double[]{0, 0.5})).isNull();
        assertThat(Proportion.ofBinary(new double[0])).isNull();
        assertThatThrownBy(() -> Proportion.of(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
