package dev.assay.sketch;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The buffer sort must give exactly what {@link Arrays#sort(double[])} gives, on every route it can take. */
class DoubleSortTest {
    private final DoubleSort sort = new DoubleSort();

    private void check(String what, int n, IntToDoubleFunction item) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = item.applyAsDouble(i);
        double[] expected = a.clone();
        Arrays.sort(expected);
        sort.sort(a, n);
        // assertArrayEquals on doubles compares bit patterns via Double.equals: -0.0 and 0.0 differ.
        assertArrayEquals(expected, a, what);
    }

    @Test
    void sortsLikeArraysSortOnEveryRoute() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {1, 100, 511, 512, 4096}) {
            check("uniform " + n, n, i -> r.nextDouble());
            check("both signs and magnitudes " + n, n, i -> (r.nextBoolean() ? -1 : 1) * Math.exp(50 * r.nextGaussian()));
            check("ties " + n, n, i -> r.nextInt(5) - 2);
            check("zeros of both signs, infinities, subnormals " + n, n, i -> switch (r.nextInt(6)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> Double.POSITIVE_INFINITY;
                case 4 -> Double.MIN_VALUE * r.nextInt(1000) * (r.nextBoolean() ? 1 : -1);
                default -> r.nextGaussian();
            });
            // Every key agrees on its top bits: the radix passes reach down to the low ones.
            check("narrow range " + n, n, i -> 1 + 1e-13 * r.nextDouble());
            check("descending " + n, n, i -> -i);
        }
    }

    @Test
    void manyKeysAgreeingOnTheTopDifferingBitsFallBackToAComparisonSort() {
        // Signs differ, so the sign bit differs and the radix passes cover bits 31–63 only; within each sign the
        // values differ only in bits 0–21 and arrive in descending order, so the insertion pass would need
        // about n²/4 moves: it must give up and still return the sorted array.
        check("adversarial", 4096, i -> (i % 2 == 0 ? 1.0 : -1.0) * Double.longBitsToDouble(
                Double.doubleToRawLongBits(1.5) + (4096 - i) * 977L));
    }
}
