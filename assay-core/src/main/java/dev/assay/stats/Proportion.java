package dev.assay.stats;

import org.apache.commons.statistics.distribution.BetaDistribution;

import java.util.Locale;

/**
 * A count of events among n trials, reported the way rare events need (METHODS.md §8: "45 of 32,768"): the
 * count and n themselves, the Wilson score interval, the exact Clopper–Pearson interval (two-sided 95%, from
 * Beta quantiles: [B(0.025; x, n−x+1), B(0.975; x+1, n−x)], 0 and 1 at the ends) and the one-sided 95% upper
 * bound B(0.95; x+1, n−x) — for x = 0 that is 1 − 0.05^(1/n), about 3/n (the "rule of three"). Wilson's
 * interval is near-nominal on average but can undercover at a handful of events; Clopper–Pearson never
 * undercovers and is the one to quote for a rare event.
 */
public record Proportion(long count, long n, double rate, double wilsonLow, double wilsonHigh, double exactLow,
                         double exactHigh, double upper95) {

    /** The proportion {@code count / n}; n must be positive. */
    public static Proportion of(long count, long n) {
        if (n <= 0 || count < 0 || count > n) throw new IllegalArgumentException("need 0 <= count <= n, n > 0: " + count + " / " + n);
        double p = (double) count / n;
        double z = Statistics.Z95, z2 = z * z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        double lo = count == 0 ? 0.0 : BetaDistribution.of(count, n - count + 1).inverseCumulativeProbability(0.025);
        double hi = count == n ? 1.0 : BetaDistribution.of(count + 1, n - count).inverseCumulativeProbability(0.975);
        double up = count == n ? 1.0 : BetaDistribution.of(count + 1, n - count).inverseCumulativeProbability(0.95);
        // At 0 (or n) events Wilson's bound is exactly 0 (or 1); the formula leaves rounding dust there.
        double wLo = count == 0 ? 0.0 : Math.max(0, centre - half), wHi = count == n ? 1.0 : Math.min(1, centre + half);
        return new Proportion(count, n, p, wLo, wHi, lo, hi, up);
    }

    /** From 0/1 values (null when some value is not 0 or 1, or there are none). */
    public static Proportion ofBinary(double[] xs) {
        if (xs.length == 0) return null;
        long k = 0;
        for (double x : xs) {
            if (x == 1.0) k++;
            else if (x != 0.0) return null;
        }
        return of(k, xs.length);
    }

    /** "45 / 32,768", or "0 / 10,000, ≤ 3.0e-4" when nothing happened (the one-sided 95% upper bound). */
    public String label() {
        String s = String.format(Locale.ROOT, "%,d / %,d", count, n);
        return count == 0 ? s + ", ≤ " + sci(upper95) : s;
    }

    /** Two significant figures in scientific notation ("3.0e-4"). */
    public static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e");
    }
}
