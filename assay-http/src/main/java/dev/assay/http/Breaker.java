package dev.assay.http;

import dev.assay.model.ModelUnavailableException;

/**
 * Stops a run whose model cannot answer: opened when no attempt has succeeded for {@code window} while
 * at least {@link #MIN_FAILURES} failed, or at once by a failure that cannot get better (see
 * {@link Wire}). Once open, every call of the model throws, so the runner stops within one attempt
 * instead of spending the whole retry budget on every remaining sample.
 */
final class Breaker {
    static final int MIN_FAILURES = 20;

    private final long windowNanos;
    private long lastSuccessNanos = System.nanoTime();
    private int failures;
    private volatile String open;

    /** @param windowNanos 0 turns the time rule off (the immediate rules still apply) */
    Breaker(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    synchronized void success() {
        lastSuccessNanos = System.nanoTime();
        failures = 0;
    }

    /** Counts a failed attempt; opens the breaker when the recent calls all failed for long enough. */
    synchronized void failure(String spec, String endpoint, String cause) {
        failures++;
        long quiet = System.nanoTime() - lastSuccessNanos;
        if (open == null && windowNanos > 0 && failures >= MIN_FAILURES && quiet >= windowNanos) {
            open = "--model " + spec + ": no call has succeeded for " + quiet / 1_000_000_000L + " s (" + failures
                    + " attempts failed) at " + endpoint + "; last: " + cause
                    + ". The run stops here; finished samples are saved: fix the endpoint and continue with assay run --resume RUN.";
        }
    }

    /** Opens at once with this message (the first one wins) and throws it. */
    ModelUnavailableException trip(String message) {
        synchronized (this) {
            if (open == null) open = message;
        }
        return new ModelUnavailableException(open);
    }

    void check() {
        String m = open;
        if (m != null) throw new ModelUnavailableException(m);
    }
}
