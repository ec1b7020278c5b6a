package dev.assay.http.fake;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the fake server does wrong, and how often: each request draws, from a generator seeded with
 * {@code seed}, whether it fails ({@code rate}) and, if so, how (uniformly among {@code kinds}).
 *
 * @param hang       how long a {@link Kind#TIMEOUT} request is held before the connection is dropped
 * @param retryAfter the Retry-After a 429 carries, in whole seconds (0 sends "0")
 */
public record Faults(double rate, long seed, Set<Kind> kinds, Duration hang, int retryAfter) {

    public enum Kind {
        /** 429 with Retry-After. */
        RATE_LIMIT,
        /** 529, Anthropic's "overloaded". */
        OVERLOADED,
        /** 500. */
        SERVER_ERROR,
        /** 503. */
        UNAVAILABLE,
        /** No answer until {@code hang} has passed, then the connection is dropped. */
        TIMEOUT,
        /** The connection is closed without an answer. */
        RESET,
        /** 200 with a Content-Length longer than the bytes sent before the connection closes. */
        TRUNCATED,
        /** 200 with a body that is not JSON. */
        MALFORMED,
        /** 404 model_not_found, as OpenAI and vLLM answer for a model they do not serve. Not in {@link #mixed}. */
        MODEL_NOT_FOUND,
        /** 200 with valid JSON holding no choices: a server that cannot answer this call. Not in {@link #mixed}. */
        WRONG_CHOICES
    }

    public Faults {
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("fault rate must be in [0, 1]");
        kinds = kinds == null || kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
        hang = hang == null ? Duration.ofSeconds(5) : hang;
    }

    public static Faults none() {
        return new Faults(0, 0, Set.of(), Duration.ZERO, 0);
    }

    /** Every transient kind of fault ({@link Kind#RATE_LIMIT} to {@link Kind#MALFORMED}) at {@code rate}. */
    public static Faults mixed(double rate, long seed, Duration hang) {
        return new Faults(rate, seed, EnumSet.range(Kind.RATE_LIMIT, Kind.MALFORMED), hang, 0);
    }

    /** One kind of fault on every request: a server that is misconfigured rather than unlucky. */
    public static Faults always(Kind kind) {
        return new Faults(1, 0, EnumSet.of(kind), Duration.ofSeconds(5), 0);
    }
}
