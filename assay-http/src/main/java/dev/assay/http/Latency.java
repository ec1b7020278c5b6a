package dev.assay.http;

/**
 * Round trips of recent successful requests (the last 512), for the adaptive request timeout: a high
 * percentile times a factor, bounded. Recomputed every 64 observations, so reading it costs nothing.
 */
final class Latency {
    /** Observations needed before the percentile is trusted; until then the configured cap applies. */
    static final int WARM = 32;

    private final long[] ring = new long[512];
    private int count;
    private int next;
    private int sinceUpdate;
    private volatile long p99 = -1;

    synchronized void add(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
        if (++sinceUpdate >= (count < 64 ? 8 : 64) && count >= WARM) {
            long[] sorted = java.util.Arrays.copyOf(ring, count);
            java.util.Arrays.sort(sorted);
            p99 = sorted[Math.min(count - 1, (int) Math.ceil(0.99 * count) - 1)];
            sinceUpdate = 0;
        }
    }

    /** The 99th percentile in nanoseconds, or -1 before {@link #WARM} observations. */
    long p99Nanos() {
        return p99;
    }
}
