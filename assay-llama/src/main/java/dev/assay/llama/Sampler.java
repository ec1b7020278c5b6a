package dev.assay.llama;

import java.util.Arrays;

/**
 * Picks the next token from one logits row: argmax, or temperature and nucleus (top-p) sampling in double.
 * Each generated sequence owns one, seeded from its request.
 *
 * <p>Sampling is an exponential race (Gumbel-max): token i wins if it maximises {@code log(u_i) / p_i},
 * which draws exactly from {@code p} restricted to the nucleus. Each {@code u_i} is a hash of (seed, step,
 * token id), not the next value of a stream. Why: llama.cpp's CPU kernels are not batch-invariant, so a
 * sequence's logits differ in the last bits when other sequences share its batch (their cells change the
 * order of the attention sums). An inverse-CDF draw walks a cumulative sum in which such noise moves every
 * boundary, and on a flat distribution flips a draw every few hundred tokens; the race changes its winner
 * only when two raced scores are within the noise, so a seed gives the same text alone or in a batch of 32.
 */
final class Sampler {
    private final double temperature, topP;
    private final long seed;
    private long step;
    // scratch, grown on demand: the candidates above the floor and their unnormalised probabilities
    private int[] cand = new int[64];
    private double[] p = new double[64];

    Sampler(double temperature, double topP, long seed) {
        this.temperature = temperature;
        this.topP = topP;
        this.seed = seed;
    }

    int next(float[] row) {
        step++;
        return temperature <= 0 ? argmax(row) : sample(row);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /** log Σ exp(x), accumulated in double. */
    static double logPartition(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) if (v > max) max = v;
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }

    private int sample(float[] row) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) if (v > max) max = v;
        // tokens more than ~30 nats below the best carry no probability mass worth keeping
        double floor = max - 30 * temperature;
        int n = 0;
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            if (row[i] < floor) continue;
            if (n == cand.length) { cand = Arrays.copyOf(cand, n * 2); p = Arrays.copyOf(p, n * 2); }
            cand[n] = i;
            p[n] = Math.exp((row[i] - max) / temperature);
            sum += p[n++];
        }
        // the nucleus: every token at least as probable as the one at which the most probable reach topP
        double threshold = 0;
        if (topP < 1.0) {
            double[] sorted = Arrays.copyOf(p, n);
            Arrays.sort(sorted);
            double mass = 0;
            for (int k = n - 1; k >= 0; k--) {
                mass += sorted[k];
                if (mass >= topP * sum) { threshold = sorted[k]; break; }
            }
        }
        int best = cand[0];
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (p[i] < threshold) continue;
            double score = Math.log(uniform(cand[i])) / p[i];
            if (score > bestScore) { bestScore = score; best = cand[i]; }
        }
        return best;
    }

    /** A uniform in (0, 1) from (seed, step, token): SplitMix64's finaliser over the three. */
    private double uniform(int token) {
        long z = seed + step * 0x9E3779B97F4A7C15L + token * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return ((z >>> 11) + 0.5) * 0x1.0p-53;
    }
}
