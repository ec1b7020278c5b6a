package dev.assay.sketch;

import java.util.Arrays;

/**
 * Sorts a full update buffer, which is most of the cost of an update. A comparison sort of 4096 doubles spends
 * twelve levels of hard-to-predict branches per item; this one maps each double's bits to a key whose unsigned
 * order is numeric order (-0.0 before 0.0, as {@link Arrays#sort(double[])} has it), sorts by the 33 most
 * significant bits that differ between the keys with a least-significant-digit radix sort (three counting
 * passes of 11 bits), then finishes with an insertion pass, which only moves keys that agree on those bits —
 * two doubles within about a ten-millionth of each other, or closer still for data spread over a narrow
 * range. Inputs that would make that pass long (many distinct values agreeing on those bits) stop it after 2n
 * moves and go to {@code Arrays.sort}, so the worst case costs about what a comparison sort costs. The result
 * is exactly the array {@code Arrays.sort} gives (NaN never reaches the buffer): the sketch's state does not
 * depend on which route ran. Short buffers (queries flush partly filled ones) go straight to
 * {@code Arrays.sort}, which is faster there.
 */
final class DoubleSort {
    private static final int RADIX_FROM = 512;
    private static final int DIGIT = 11, DIGITS = 3, BUCKETS = 1 << DIGIT;

    // Allocated at the first large sort: most sketches Assay keeps hold few items and never need them.
    private long[] keys = new long[0], spare = new long[0];
    private int[] counts;

    /** Sorts {@code a[0, n)} ascending in place. */
    void sort(double[] a, int n) {
        if (n < RADIX_FROM) {
            Arrays.sort(a, 0, n);
            return;
        }
        if (keys.length < n) {
            keys = new long[a.length];
            spare = new long[a.length];
            counts = new int[DIGITS * BUCKETS];
        }
        long[] src = keys, dst = spare;
        long diff = 0;
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(a[i]);
            long k = bits ^ (bits >> 63 | Long.MIN_VALUE); // negatives flipped whole, positives their sign bit only
            src[i] = k;
            diff |= k ^ src[0];
        }
        if (diff == 0) return; // all equal
        // Bits above the highest differing one are shared by every key and cannot order them.
        int low = Math.max(0, 63 - Long.numberOfLeadingZeros(diff) - (DIGIT * DIGITS - 1));
        int[] c = counts;
        Arrays.fill(c, 0);
        for (int i = 0; i < n; i++) {
            long k = src[i] >>> low;
            c[(int) (k & BUCKETS - 1)]++;
            c[BUCKETS + (int) (k >>> DIGIT & BUCKETS - 1)]++;
            c[2 * BUCKETS + (int) (k >>> 2 * DIGIT & BUCKETS - 1)]++;
        }
        for (int digit = 0; digit < DIGITS; digit++) {
            int base = digit * BUCKETS, shift = low + digit * DIGIT;
            int sum = 0;
            for (int d = base; d < base + BUCKETS; d++) {
                int t = c[d];
                c[d] = sum;
                sum += t;
            }
            for (int i = 0; i < n; i++) {
                long k = src[i];
                dst[c[base + (int) (k >>> shift & BUCKETS - 1)]++] = k;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        boolean finished = low == 0 || insertionPass(src, n, 2L * n);
        for (int i = 0; i < n; i++) {
            long k = src[i];
            a[i] = Double.longBitsToDouble(k ^ (~k >> 63 | Long.MIN_VALUE));
        }
        if (!finished) Arrays.sort(a, 0, n);
    }

    /** Insertion sort by unsigned key; false (the array still a permutation) once more than {@code budget} moves were needed. */
    private static boolean insertionPass(long[] k, int n, long budget) {
        for (int i = 1; i < n; i++) {
            long x = k[i];
            if (Long.compareUnsigned(k[i - 1], x) <= 0) continue;
            int j = i - 1;
            do {
                k[j + 1] = k[j];
                j--;
            } while (j >= 0 && Long.compareUnsigned(k[j], x) > 0);
            k[j + 1] = x;
            budget -= i - 1 - j;
            if (budget < 0) return false;
        }
        return true;
    }
}
