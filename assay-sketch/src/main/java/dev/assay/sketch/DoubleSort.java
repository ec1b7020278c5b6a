package dev.assay.sketch;

import java.util.Arrays;

/**
 * Sorts a full update buffer, which is most of the cost of an update. A comparison sort of 4096 doubles spends
 * twelve levels of hard-to-predict branches per item; this one maps each double's bits to a key whose unsigned
 * order is numeric order (-0.0 before 0.0, as {@link Arrays#sort(double[])} has it), sorts by the four most
 * significant bytes that differ between the keys with a least-significant-digit radix sort (four counting
 * passes, a byte every key shares skipped), then finishes with an insertion pass, which only moves the keys
 * that agree on those four bytes — two doubles within a millionth of each other, or fewer than that for data
 * spread over a narrow range. Inputs that would make that pass long (many distinct values agreeing on the top
 * four differing bytes) stop it after 2n moves and go to {@code Arrays.sort}, so the worst case costs about
 * what a comparison sort costs. The result is exactly the array {@code Arrays.sort} gives (NaN never reaches
 * the buffer): the sketch's state does not depend on which route ran. Short buffers (queries flush partly
 * filled ones) go straight to {@code Arrays.sort}, which is faster there.
 */
final class DoubleSort {
    private static final int RADIX_FROM = 512;
    private static final int PASSES = 4;

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
            counts = new int[8 * 256];
        }
        long[] src = keys, dst = spare;
        int[] c = counts;
        Arrays.fill(c, 0);
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(a[i]);
            long k = bits ^ (bits >> 63 | Long.MIN_VALUE); // negatives flipped whole, positives their sign bit only
            src[i] = k;
            c[(int) (k & 0xFF)]++;
            c[256 + (int) (k >>> 8 & 0xFF)]++;
            c[512 + (int) (k >>> 16 & 0xFF)]++;
            c[768 + (int) (k >>> 24 & 0xFF)]++;
            c[1024 + (int) (k >>> 32 & 0xFF)]++;
            c[1280 + (int) (k >>> 40 & 0xFF)]++;
            c[1536 + (int) (k >>> 48 & 0xFF)]++;
            c[1792 + (int) (k >>> 56)]++;
        }
        int top = 7;
        while (top > 0 && shared(c, top, src[0], n)) top--;
        int low = Math.max(0, top - PASSES + 1);
        for (int pass = low; pass <= top; pass++) {
            if (shared(c, pass, src[0], n)) continue; // a byte every key shares leaves the order as it is
            int base = pass * 256, shift = pass * 8;
            int sum = 0;
            for (int d = base; d < base + 256; d++) {
                int t = c[d];
                c[d] = sum;
                sum += t;
            }
            for (int i = 0; i < n; i++) {
                long k = src[i];
                dst[c[base + (int) (k >>> shift & 0xFF)]++] = k;
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

    private static boolean shared(int[] c, int pass, long anyKey, int n) {
        return c[pass * 256 + (int) (anyKey >>> (pass * 8) & 0xFF)] == n;
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
