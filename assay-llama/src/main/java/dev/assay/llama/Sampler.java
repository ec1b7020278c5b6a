package dev.assay.llama;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one logits row: argmax, or temperature and nucleus (top-p) sampling in double.
 * Each generated sequence owns one, seeded from its request: the draw depends only on the seed and the
 * sequence's own logits, never on which other sequences share the batch, so a seed gives the same text
 * alone or in a batch of 32.
 */
final class Sampler {
    private final double temperature, topP;
    private final SplittableRandom rng;
    // scratch, grown on demand: the candidates above the floor and their unnormalised probabilities
    private int[] cand = new int[64];
    private double[] p = new double[64];

    Sampler(double temperature, double topP, long seed) {
        this.temperature = temperature;
        this.topP = topP;
        this.rng = new SplittableRandom(seed);
    }

    int next(float[] row) {
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
        if (topP >= 1.0) {
            double u = rng.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                u -= p[i];
                if (u <= 0) return cand[i];
            }
            return cand[n - 1];
        }
        // The nucleus: most probable first (ties by token id), until topP of the mass is covered. A binary
        // heap pops only as many as the nucleus holds, over primitive arrays (a flat row has ~all tokens).
        int[] heap = new int[n];
        for (int i = 0; i < n; i++) heap[i] = i;
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(heap, i, n);
        int[] kept = new int[n];
        int k = 0, size = n;
        double mass = 0;
        while (size > 0 && mass < topP * sum) {
            int top = heap[0];
            kept[k++] = top;
            mass += p[top];
            heap[0] = heap[--size];
            siftDown(heap, 0, size);
        }
        double u = rng.nextDouble() * mass;
        for (int i = 0; i < k; i++) {
            u -= p[kept[i]];
            if (u <= 0) return cand[kept[i]];
        }
        return cand[kept[k - 1]];
    }

    /** Whether candidate a comes before b: higher probability, then lower token id. */
    private boolean before(int a, int b) {
        return p[a] != p[b] ? p[a] > p[b] : cand[a] < cand[b];
    }

    private void siftDown(int[] heap, int i, int size) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, best = i;
            if (l < size && before(heap[l], heap[best])) best = l;
            if (r < size && before(heap[r], heap[best])) best = r;
            if (best == i) return;
            int t = heap[i];
            heap[i] = heap[best];
            heap[best] = t;
            i = best;
        }
    }
}
