package dev.assay.sketch;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A quantile sketch many threads (platform or virtual) may update at once: writes go to one of several stripes,
 * each a {@link QuantileSketch} behind its own lock, picked by the thread and moved on when busy; reads merge
 * the stripes into a snapshot. The snapshot's bound is the same a-priori epsilon (bounds add under merging).
 * Which stripe a value lands in depends on scheduling, so unlike a single sketch the state is not
 * bit-reproducible across runs; the error bound holds regardless.
 */
public final class ConcurrentQuantileSketch {
    private final QuantileSketch[] stripes;
    private final ReentrantLock[] locks;
    private final int k;
    private final double epsilon;
    private final long seed;

    public ConcurrentQuantileSketch(long seed) {
        this(QuantileSketch.DEFAULT_K, QuantileSketch.DEFAULT_EPSILON, seed, 2 * Runtime.getRuntime().availableProcessors());
    }

    public ConcurrentQuantileSketch(int k, double epsilon, long seed, int stripes) {
        if (stripes < 1) throw new IllegalArgumentException("stripes must be at least 1, got " + stripes);
        this.k = k;
        this.epsilon = epsilon;
        this.seed = seed;
        this.stripes = new QuantileSketch[stripes];
        this.locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new QuantileSketch(k, epsilon, seed + i);
            this.locks[i] = new ReentrantLock();
        }
    }

    public void update(double x) {
        int s = (int) (Thread.currentThread().threadId() % stripes.length);
        for (int tries = 0; ; tries++) {
            ReentrantLock lock = locks[s];
            if (tries >= stripes.length ? blockingLock(lock) : lock.tryLock()) {
                try {
                    stripes[s].update(x);
                    return;
                } finally {
                    lock.unlock();
                }
            }
            s = (s + 1) % stripes.length;
        }
    }

    private static boolean blockingLock(ReentrantLock lock) {
        lock.lock();
        return true;
    }

    /** A single-threaded sketch of everything added so far. */
    public QuantileSketch snapshot() {
        QuantileSketch out = new QuantileSketch(k, epsilon, seed);
        for (int i = 0; i < stripes.length; i++) {
            locks[i].lock();
            try {
                out.merge(stripes[i]);
            } finally {
                locks[i].unlock();
            }
        }
        return out;
    }
}
