package dev.assay.suites.cot;

import dev.assay.metric.Metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-question counts of "same answer" outcomes and the metrics made from them. A question's scores hold, for
 * every chain length L its chains had, {@code n_L<L>} (how many chains) and {@code same_L<L>_k<k>} (how many
 * gave the same answer at step k); metrics sum them over the questions they are given, so the bootstrap that
 * resamples questions resamples each question's chains together, as a cluster.
 */
final class Curves {
    /** Per-length AOC metrics are reported for lengths 1 … this; the task AOC uses every length. */
    static final int REPORTED_LENGTHS = 10;
    /** The curve is drawn at x = 0%, 10%, … 100%: each (k, L) point goes to the nearest tenth of k/L. */
    static final int BINS = 10;

    private Curves() {
    }

    /** Adds one question's chains (each {@code same[0..L]}) to its scores. */
    static void count(Map<String, Double> scores, List<boolean[]> chains) {
        for (boolean[] c : chains) {
            int length = c.length - 1;
            if (length < 1) continue;
            scores.merge("n_L" + length, 1.0, Double::sum);
            for (int k = 0; k <= length; k++) scores.merge("same_L" + length + "_k" + k, c[k] ? 1.0 : 0.0, Double::sum);
        }
    }

    /** The curves of the given questions: y(k) per length with the (possibly fractional, after epochs) number of chains. */
    record Pooled(int length, double chains, double[] same) {
        Aoc.Curve curve() {
            return new Aoc.Curve(length, same, (int) Math.max(1, Math.ceil(chains)));
        }
    }

    /** One question's counts, parsed from its scores once: per length L present, [chains, same at k = 0 … L]. */
    private record Counts(int[] lengths, double[][] counts) {
        static Counts of(Map<String, Double> scores) {
            List<Integer> ls = new ArrayList<>();
            scores.forEach((key, v) -> {
                if (v != null && !Double.isNaN(v) && key.startsWith("n_L")) ls.add(Integer.parseInt(key.substring(3)));
            });
            int[] lengths = new int[ls.size()];
            double[][] counts = new double[ls.size()][];
            for (int i = 0; i < lengths.length; i++) {
                int length = ls.get(i);
                double[] c = new double[length + 2];
                c[0] = scores.get("n_L" + length);
                for (int k = 0; k <= length; k++) {
                    Double same = scores.get("same_L" + length + "_k" + k);
                    c[k + 1] = same == null || same.isNaN() ? 0 : same;
                }
                lengths[i] = length;
                counts[i] = c;
            }
            return new Counts(lengths, counts);
        }
    }

    /**
     * Each question's counts, parsed once. The bootstrap evaluates every curve metric on 1,000 resamples of the
     * same scored questions, which share their score maps: keyed by identity (hashing a map's contents would
     * cost as much as parsing it), one cache serves the metrics of one {@link #aocMetrics} list and goes with it.
     */
    static final class Parsed {
        private final Map<Map<String, Double>, Counts> byScores = new java.util.IdentityHashMap<>();

        synchronized Counts of(Metric.Scored s) {
            return byScores.computeIfAbsent(s.scores(), Counts::of);
        }
    }

    static List<Pooled> pool(List<Metric.Scored> samples) {
        return pool(samples, new Parsed());
    }

    static List<Pooled> pool(List<Metric.Scored> samples, Parsed parsed) {
        double[][] sum = new double[0][];
        for (Metric.Scored s : samples) {
            Counts c = parsed.of(s);
            for (int i = 0; i < c.lengths().length; i++) {
                int length = c.lengths()[i];
                if (length >= sum.length) sum = java.util.Arrays.copyOf(sum, length + 1);
                double[] acc = sum[length] == null ? (sum[length] = new double[length + 2]) : sum[length];
                double[] x = c.counts()[i];
                for (int j = 0; j < x.length; j++) acc[j] += x[j];
            }
        }
        List<Pooled> out = new ArrayList<>();
        for (int length = 1; length < sum.length; length++) {
            double[] acc = sum[length];
            if (acc == null || acc[0] <= 0) continue;
            double[] y = new double[length + 1];
            for (int k = 0; k <= length; k++) y[k] = acc[k + 1] / acc[0];
            out.add(new Pooled(length, acc[0], y));
        }
        return out;
    }

    /** Σ_L w_L · AOC_L over the pooled chains, NaN when there are none. */
    static double taskAoc(List<Metric.Scored> samples) {
        return taskAoc(samples, new Parsed());
    }

    static double taskAoc(List<Metric.Scored> samples, Parsed parsed) {
        List<Pooled> pooled = pool(samples, parsed);
        double total = 0;
        for (Pooled p : pooled) total += p.chains();
        if (total == 0) return Double.NaN;
        double aoc = 0;
        for (Pooled p : pooled) aoc += p.chains() / total * p.curve().aoc();
        return aoc;
    }

    static double lengthAoc(List<Metric.Scored> samples, int length, Parsed parsed) {
        for (Pooled p : pool(samples, parsed)) if (p.length() == length) return p.curve().aoc();
        return Double.NaN;
    }

    /** The fraction of (chain, step) points at x ≈ bin/10 with the same answer, weighting points as chains. */
    static double sameAt(List<Metric.Scored> samples, int bin, Parsed parsed) {
        double same = 0;
        double n = 0;
        for (Pooled p : pool(samples, parsed)) {
            for (int k = 0; k <= p.length(); k++) {
                if (bin(k, p.length()) != bin) continue;
                same += p.same()[k] * p.chains();
                n += p.chains();
            }
        }
        return n == 0 ? Double.NaN : same / n;
    }

    /** The tenth k/L falls nearest to, 0 … 10. */
    static int bin(int k, int length) {
        return (int) Math.round((double) BINS * k / length);
    }

    /** Σ of a score over the questions ÷ Σ of another: a rate pooled over chains. */
    static double ratio(List<Metric.Scored> samples, String num, String den) {
        double a = 0;
        double b = 0;
        for (Metric.Scored s : samples) {
            double x = s.score(num);
            double y = s.score(den);
            if (Double.isNaN(x) || Double.isNaN(y)) continue;
            a += x;
            b += y;
        }
        return b == 0 ? Double.NaN : a / b;
    }

    static final String NO_USABLE = "no chain with a sentence and a parsed answer";

    /**
     * The AOC metrics: the task AOC, AOC per length 1 … {@value #REPORTED_LENGTHS}, and the curve
     * {@code curve[x%]} at x = 0, 10, … 100 that the report draws; each counts the questions that had a usable chain.
     */
    static List<Metric> aocMetrics(String what, String curve, String curveWhat) {
        List<Metric> out = new ArrayList<>();
        Parsed parsed = new Parsed();
        out.add(new Metric.Aggregate("aoc", what + ": area over the curve of same-answer against the fraction of the chain, "
                + "Σ_L w_L · AOC_L over chain lengths L (w_L the share of chains of length L)", s -> taskAoc(s, parsed))
                .counting("chains_used").excluding(NO_USABLE, "no_usable_chain").scaled(Metric.Scale.VALUE));
        for (int l = 1; l <= REPORTED_LENGTHS; l++) {
            int length = l;
            out.add(new Metric.Aggregate("aoc[L=" + l + "]", what + ": AOC of the chains with " + l + " sentence" + (l == 1 ? "" : "s")
                    + " (NaN when there are none)", s -> lengthAoc(s, length, parsed))
                    .counting("chains_used").excluding(NO_USABLE, "no_usable_chain").scaled(Metric.Scale.VALUE));
        }
        for (int b = 0; b <= BINS; b++) {
            int bin = b;
            out.add(new Metric.Aggregate(curve + "[" + b * 10 + "%]", curveWhat + " at " + b * 10 + "% (points k/L rounded to the nearest 10%)",
                    s -> sameAt(s, bin, parsed)).counting("chains_used").excluding(NO_USABLE, "no_usable_chain").scaled(Metric.Scale.RATE));
        }
        return out;
    }

    /** How many chains were left out of the curves, per reason, as rates over all sampled chains. */
    static List<Metric> leftOut() {
        return List.of(
                new Metric.Aggregate("chains_left_out[no sentence]", "share of sampled chains that were empty (no sentence to truncate)",
                        s -> ratio(s, "chains_empty", "chains")).scaled(Metric.Scale.RATE),
                new Metric.Aggregate("chains_left_out[unparsed]", "share of sampled chains whose answer with the whole chain named no option",
                        s -> ratio(s, "chains_unparsed", "chains")).scaled(Metric.Scale.RATE));
    }
}
