package dev.assay.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many requests one endpoint may have in flight: additive increase on success (one per success,
 * up to {@code max}), multiplicative decrease (halving, down to {@code min}) when the endpoint says it
 * is overloaded (429, 529). At most one decrease per round-trip window, and only when the window's
 * share of 429/529 reaches {@link #CUT_SHARE}; then to the share the endpoint accepted (a server
 * capped at C answering a limit of L with L − C 429s is brought to C in one step). The 429s of
 * requests started before a cut (under the old limit, identified by the epoch {@link #acquire} gave
 * them) are not counted again. Random 429s amid successes thus leave the limit alone, instead of
 * halving it each time. (Released without an epoch, a 429 halves the limit at most once per 250 ms:
 * the policy before issue 12, kept for {@code assay bench http --policy legacy}.)
 * <p>
 * A success raises the limit only while the endpoint is not queueing: its round trip is within twice
 * the fastest one yet (plus 5 ms). Without that guard a fast server that never says 429 would be
 * sent ever more parallel connections, each costing a connect and buffers, for no gain.
 * Every change of the whole-number limit is kept as a {@link Change} and, when a file is given,
 * appended to it as a JSON line.
 */
public final class ConcurrencyLimit {

    /** The limit became {@code limit} at {@code epochMs}, because of {@code cause} ("start", "success", "overload"). */
    public record Change(long epochMs, String endpoint, int limit, String cause) {
    }

    private final String endpoint;
    private final int min;
    private final int max;
    private final Path historyFile;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final List<Change> history = new ArrayList<>();
    private double limit;
    private int inFlight;
    private int peakInFlight;
    private long noDecreaseBeforeNanos;
    private long minRttNanos = Long.MAX_VALUE;
    private long epoch;
    private long srttNanos;
    private long windowStartNanos = System.nanoTime();
    private int windowAnswers;
    private int windowOverloads;

    public ConcurrencyLimit(String endpoint, int initial, int min, int max, Path historyFile) {
        if (min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("need 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
        }
        this.endpoint = endpoint;
        this.min = min;
        this.max = max;
        this.limit = initial;
        this.historyFile = historyFile;
        record(initial, "start");
    }

    /**
     * Blocks until a request may start; the caller must {@link #release} it.
     *
     * @return the decrease epoch the request starts in, for {@link #release(Outcome, long, long)}
     */
    public long acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            // Untimed: with thousands of waiters, timed waits make every signal scan cancelled nodes.
            while (inFlight >= (int) limit) {
                room.await();
            }
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #acquire} without waiting: the epoch, or -1 when the limit is reached. */
    public long tryAcquire() {
        lock.lock();
        try {
            if (inFlight >= (int) limit) return -1;
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    /** Room left, as a fraction of the limit: the load balancer sends the next request where it is largest. */
    double spare() {
        lock.lock();
        try {
            return ((int) limit - inFlight) / limit;
        } finally {
            lock.unlock();
        }
    }

    public enum Outcome { SUCCESS, OVERLOAD, OTHER }

    /** @param rttNanos how long the request took, for a success */
    public void release(Outcome outcome, long rttNanos) {
        release(outcome, rttNanos, -1);
    }

    /**
     * @param rttNanos      how long the request took, for a success
     * @param acquiredEpoch what {@link #acquire} returned, or -1 for the 250 ms rule
     */
    public void release(Outcome outcome, long rttNanos, long acquiredEpoch) {
        lock.lock();
        try {
            inFlight--;
            int before = (int) limit;
            switch (outcome) {
                case SUCCESS -> {
                    observe(rttNanos);
                    if (rttNanos <= 2 * minRttNanos + 5_000_000L) limit = Math.min(max, limit + 1);
                }
                case OVERLOAD -> {
                    long now = System.nanoTime();
                    if (acquiredEpoch >= 0) {
                        // Started before the last cut: sent under the old limit, it says nothing new.
                        if (acquiredEpoch == epoch) windowOverloads++;
                    } else if (now - noDecreaseBeforeNanos >= 0) {
                        limit = Math.max(min, limit / 2);
                        // Requests now in flight were sent under the old limit: ignore their 429s for a while.
                        noDecreaseBeforeNanos = now + TimeUnit.MILLISECONDS.toNanos(250);
                    }
                }
                case OTHER -> {
                }
            }
            if (acquiredEpoch >= 0) endOfWindow();
            int after = (int) limit;
            if (after != before) record(after, outcome == Outcome.SUCCESS ? "success" : "overload");
            int free = after - inFlight;
            for (int i = 0; i < Math.min(free, 2); i++) room.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The fastest round trip so far: the endpoint's unloaded latency. Never reset: a minimum taken over
     * a recent window under load is the queueing latency itself, and would let the limit run away.
     */
    private void observe(long rttNanos) {
        minRttNanos = Math.min(minRttNanos, rttNanos);
        srttNanos = srttNanos == 0 ? rttNanos : (7 * srttNanos + rttNanos) / 8;
    }

    /**
     * Once per round-trip window (one smoothed round trip, at least 50 ms): when at least
     * {@link #CUT_SHARE} of the requests released in it were turned away as overloaded, the limit is
     * cut once, to the share the endpoint accepted (never by more than half). Fewer 429s than that are
     * noise or a quota's burst: their own Retry-After paces them, and the limit the server is
     * demonstrably serving stays.
     */
    private void endOfWindow() {
        windowAnswers++;
        long now = System.nanoTime();
        if (now - windowStartNanos < Math.max(srttNanos, 50_000_000L)) return;
        double share = (double) windowOverloads / windowAnswers;
        if (windowOverloads > 0 && share >= CUT_SHARE) {
            limit = Math.max(min, limit * (1 - Math.min(0.5, share)));
            epoch++;
        }
        windowStartNanos = now;
        windowAnswers = 0;
        windowOverloads = 0;
    }

    /** The share of overloaded answers in a round trip that cuts the limit. */
    static final double CUT_SHARE = 0.10;

    public int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int peakInFlight() {
        lock.lock();
        try {
            return peakInFlight;
        } finally {
            lock.unlock();
        }
    }

    public List<Change> history() {
        lock.lock();
        try {
            return List.copyOf(history);
        } finally {
            lock.unlock();
        }
    }

    private void record(int newLimit, String cause) {
        var change = new Change(System.currentTimeMillis(), endpoint, newLimit, cause);
        history.add(change);
        if (historyFile != null) {
            String line = "{\"t\":" + change.epochMs() + ",\"endpoint\":\"" + Json.escape(endpoint)
                    + "\",\"limit\":" + newLimit + ",\"cause\":\"" + cause + "\"}\n";
            try {
                Files.writeString(historyFile, line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + historyFile, e);
            }
        }
    }
}
