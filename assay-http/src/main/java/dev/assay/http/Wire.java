package dev.assay.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.model.ModelCallException;
import dev.assay.model.ModelUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side of a provider: one JDK {@link HttpClient} on virtual threads, the base URLs with a
 * {@link ConcurrencyLimit} each, and the retry policy. A call is retried, with jittered exponential
 * backoff and at least the server's Retry-After, on 429, 408, 409, 5xx and 529, timeouts, connection
 * resets and 2xx bodies that do not parse; after {@link Settings#maxAttempts} it throws
 * {@link ModelCallException}, which the runner records on the sample.
 * <p>
 * What cannot get better stops the run ({@link ModelUnavailableException}, exit 2) through the
 * {@link Breaker}: a refused key (401, 403) always; connection refused, an unknown host, no connection
 * within 10 s, 404 (model or path not served), answers that are not JSON three times, and JSON answers
 * of the wrong shape (no choices, too few) while the endpoint or call kind has never answered; and a run
 * whose attempts have all failed for {@code breaker_s} seconds.
 * <p>
 * Unless {@code timeout} is given, a request's timeout follows the endpoint: 4 × the 99th percentile of
 * recent successful round trips, between 1 s and 120 s; a request that outlasts it is not dropped but
 * hedged — the retry goes out at once while the first request stays in the race, and the first answer
 * wins (the other is cancelled).
 */
final class Wire implements AutoCloseable {

    /**
     * @param timeout     for one request, from sending to the last byte of the answer
     * @param maxAttempts tries per call, the first included
     */
    /**
     * @param adaptive    the timeout follows observed latency and stalls are hedged ({@code timeout}
     *                    not given and policy not legacy); else {@code timeout} is fixed
     * @param breaker     how long attempts may all fail before the run stops; zero: never
     * @param legacy      the retry policy before issue 12 (fixed timeout, 429s halve the limit every
     *                    250 ms), for benchmarking against it
     */
    record Settings(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffCap,
                    int initialLimit, int maxLimit, boolean adaptive, Duration breaker, boolean legacy) {
        Settings(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffCap, int initialLimit, int maxLimit) {
            this(timeout, maxAttempts, backoffBase, backoffCap, initialLimit, maxLimit, false, Duration.ofSeconds(60), false);
        }

        static Settings from(dev.assay.model.ModelOptions o) {
            String policy = o.extra("policy", "adaptive");
            if (!policy.equals("adaptive") && !policy.equals("legacy")) {
                throw new AssayException("--model-option policy=" + policy + ": expected adaptive or legacy");
            }
            boolean legacy = policy.equals("legacy");
            var s = new Settings(
                    Duration.ofMillis((long) (number(o, "timeout", "120") * 1000)),
                    (int) number(o, "max_attempts", "10"),
                    Duration.ofMillis((long) number(o, "backoff_ms", "250")),
                    Duration.ofMillis((long) number(o, "backoff_cap_ms", "10000")),
                    (int) number(o, "concurrency", "32"),
                    (int) number(o, "max_concurrency", "4096"),
                    !legacy && o.extra("timeout", null) == null,
                    Duration.ofMillis((long) (number(o, "breaker_s", legacy ? "0" : "60") * 1000)),
                    legacy);
            if (s.timeout().toMillis() < 1 || s.maxAttempts() < 1 || s.initialLimit() < 1 || s.backoffBase().isNegative()
                    || s.breaker().isNegative()) {
                throw new AssayException("--model-option: timeout, max_attempts and concurrency must be positive, breaker_s at least 0");
            }
            return s;
        }

        private static double number(dev.assay.model.ModelOptions o, String key, String fallback) {
            String v = o.extra(key, fallback);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new AssayException("--model-option " + key + "=" + v + ": expected a number");
            }
        }
    }

    /** One base URL and its limit; {@code answered} once any answer from it was read. */
    record Endpoint(URI base, ConcurrencyLimit limit, java.util.concurrent.atomic.AtomicBoolean answered) {
        Endpoint(URI base, ConcurrencyLimit limit) {
            this(base, limit, new java.util.concurrent.atomic.AtomicBoolean());
        }

        URI resolve(String path) {
            String b = base.toString();
            return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
        }
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ADAPTIVE_FLOOR = Duration.ofSeconds(1);
    static final int ADAPTIVE_FACTOR = 4;

    private final String spec;
    private final List<Endpoint> endpoints;
    private final Map<String, String> headers;
    private final ApiKey key;
    private final Settings settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final AtomicInteger next = new AtomicInteger();
    private final Latency latency = new Latency();
    private final Breaker breaker;
    /** Kinds of call ("POST /completions") that have been answered once: their answers can be right. */
    private final java.util.Set<String> answeredCalls = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Wire(String spec, List<URI> bases, Map<String, String> headers, ApiKey key, Settings settings, Path workDir) {
        this.spec = spec;
        this.headers = Map.copyOf(headers);
        this.key = key;
        this.settings = settings;
        Path history = workDir == null ? null : workDir.resolve("concurrency.jsonl");
        if (history != null) {
            try {
                java.nio.file.Files.createDirectories(workDir);
            } catch (IOException e) {
                throw new AssayException("work dir " + workDir + ": cannot create it (" + e.getMessage() + ")", e);
            }
        }
        this.breaker = new Breaker(settings.breaker().toNanos());
        var eps = new ArrayList<Endpoint>();
        for (URI given : bases) {
            // A key in the user-info (http://u:KEY@host) is never sent by the client: keep it out of logs.
            URI b = URI.create(dev.assay.model.ModelOptions.withoutUserInfo(given.toString()));
            eps.add(new Endpoint(b, new ConcurrencyLimit(b.toString(), settings.initialLimit(), 1,
                    Math.max(settings.initialLimit(), settings.maxLimit()), history)));
        }
        this.endpoints = List.copyOf(eps);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                // A reachable host connects in milliseconds; a dropped SYN must not cost the whole timeout.
                .connectTimeout(settings.timeout().compareTo(CONNECT_TIMEOUT) < 0 ? settings.timeout() : CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    List<ConcurrencyLimit.Change> history() {
        return endpoints.stream().flatMap(e -> e.limit().history().stream())
                .sorted(java.util.Comparator.comparingLong(ConcurrencyLimit.Change::epochMs)).toList();
    }

    /** POST JSON to the endpoint with the most room; parse the answer with {@code read}. */
    <T> T post(String path, JsonNode body, Function<JsonNode, T> read) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        return call(null, "POST " + path, ep -> request(ep.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), s -> read.apply(Json.parse(s)));
    }

    /** POST JSON to one given endpoint (batch jobs live on the endpoint that took them). */
    <T> T post(Endpoint ep, String path, JsonNode body, Function<JsonNode, T> read) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        return call(ep, "POST " + path, e -> request(e.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), s -> read.apply(Json.parse(s)));
    }

    <T> T get(Endpoint ep, URI uri, Function<String, T> read) {
        return call(ep, "GET " + uri.getPath(), e -> request(uri).GET(), read);
    }

    /** multipart/form-data upload of one file plus plain fields (OpenAI /v1/files). */
    <T> T upload(Endpoint ep, String path, Map<String, String> fields, String fileName, byte[] content,
                 Function<JsonNode, T> read) {
        String boundary = "assay-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        var out = new java.io.ByteArrayOutputStream();
        try {
            for (var f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                        + "\"\r\n\r\n" + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] body = out.toByteArray();
        return call(ep, "POST " + path, e -> request(e.resolve(path))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), s -> read.apply(Json.parse(s)));
    }

    /**
     * The timeout of the next request: fixed, or 4 × p99 of recent round trips within [1 s, timeout].
     * The timeout is kept here rather than by {@link HttpRequest.Builder#timeout}: the client's own
     * timer queue is served by its single selector thread, which every request then wakes twice.
     */
    long timeoutNanos() {
        long cap = settings.timeout().toNanos();
        long p99 = latency.p99Nanos();
        if (!settings.adaptive() || p99 < 0) return cap;
        return Math.clamp(ADAPTIVE_FACTOR * p99, Math.min(cap, ADAPTIVE_FLOOR.toNanos()), cap);
    }

    private HttpRequest.Builder request(URI uri) {
        var b = HttpRequest.newBuilder(uri);
        headers.forEach(b::header);
        return b;
    }

    private Endpoint choose() {
        if (endpoints.size() == 1) return endpoints.getFirst();
        int start = Math.floorMod(next.getAndIncrement(), endpoints.size());
        Endpoint best = endpoints.get(start);
        double bestSpare = best.limit().spare();
        for (int i = 1; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get((start + i) % endpoints.size());
            double s = e.limit().spare();
            if (s > bestSpare) {
                best = e;
                bestSpare = s;
            }
        }
        return best;
    }

    /** One request on the wire, holding a permit of its endpoint's limit until {@link #done}. */
    private static final class Attempt {
        final Endpoint ep;
        final long epoch;
        final long sent = System.nanoTime();
        final java.util.concurrent.CompletableFuture<HttpResponse<String>> future;
        private boolean released;

        Attempt(Endpoint ep, long epoch, java.util.concurrent.CompletableFuture<HttpResponse<String>> future) {
            this.ep = ep;
            this.epoch = epoch;
            this.future = future;
        }

        void done(ConcurrencyLimit.Outcome outcome, boolean legacy) {
            if (released) return;
            released = true;
            long rtt = System.nanoTime() - sent;
            if (legacy) ep.limit().release(outcome, rtt);
            else ep.limit().release(outcome, rtt, epoch);
        }

        void cancel(boolean legacy) {
            future.cancel(true); // aborts the exchange and frees its connection
            done(ConcurrencyLimit.Outcome.OTHER, legacy);
        }
    }

    /** How an attempt ended, when it did not give the answer and did not stop the call. */
    private record Failure(String cause, long retryAfterMs) {
    }

    private <T> T call(Endpoint pinned, String what, Function<Endpoint, HttpRequest.Builder> build,
                       Function<String, T> read) {
        String last = "no attempt made";
        Endpoint lastEp = pinned;
        Attempt kept = null; // a request past its timeout, still in the race with its hedge
        int notJson = 0;
        boolean legacy = settings.legacy();
        try {
            for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
                breaker.check();
                Endpoint ep = pinned != null ? pinned : choose();
                lastEp = ep;
                long epoch;
                try {
                    epoch = ep.limit().acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModelCallException(spec + ": interrupted before " + what);
                }
                Attempt a;
                try {
                    a = new Attempt(ep, epoch, client.sendAsync(build.apply(ep).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    ep.limit().release(ConcurrencyLimit.Outcome.OTHER, 0);
                    throw e;
                }
                long timeout = timeoutNanos();
                long deadline = a.sent + timeout;
                Failure failure = null;
                boolean timedOut = false;
                try {
                while (failure == null && !timedOut) {
                    long left = deadline - System.nanoTime();
                    java.util.concurrent.CompletableFuture<?> any = kept == null ? a.future
                            : java.util.concurrent.CompletableFuture.anyOf(a.future, kept.future);
                    try {
                        if (left <= 0) throw new java.util.concurrent.TimeoutException();
                        any.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        if (!a.future.isDone() && (kept == null || !kept.future.isDone())) timedOut = true;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                        // judged below
                    } catch (InterruptedException e) {
                        a.cancel(legacy);
                        Thread.currentThread().interrupt();
                        throw new ModelCallException(spec + ": interrupted during " + what);
                    }
                    if (kept != null && kept.future.isDone()) {
                        Attempt k = kept;
                        kept = null;
                        var v = judge(k, what, read, notJson);
                        if (v instanceof Won<T>(T value)) {
                            a.cancel(legacy);
                            return value;
                        }
                        if (((Lost) v).notJson()) notJson++;
                        last = ((Lost) v).failure().cause();
                        continue; // the newer request is still in the race
                    }
                    if (a.future.isDone()) {
                        var v = judge(a, what, read, notJson);
                        if (v instanceof Won<T>(T value)) {
                            if (kept != null) kept.cancel(legacy);
                            kept = null;
                            return value;
                        }
                        if (((Lost) v).notJson()) notJson++;
                        failure = ((Lost) v).failure();
                    }
                }
                } catch (RuntimeException e) {
                    a.cancel(legacy); // a fatal verdict on the older request: this one is abandoned too
                    throw e;
                }
                if (timedOut) {
                    last = "no answer within " + timeout / 1_000_000 + " ms";
                    breaker.failure(spec, ep.base().toString(), last);
                    if (settings.adaptive()) {
                        // Hedge: the retry goes out now, and this request stays in the race until the next
                        // deadline — without its permit: a stalled request is not load the limit should count.
                        if (kept != null) kept.cancel(legacy);
                        a.done(ConcurrencyLimit.Outcome.OTHER, legacy);
                        kept = a;
                        continue;
                    }
                    a.cancel(legacy);
                    failure = new Failure(last, 0);
                }
                last = failure.cause();
                if (attempt < settings.maxAttempts()) sleep(backoffMs(attempt, failure.retryAfterMs()));
            }
        } finally {
            if (kept != null) kept.cancel(legacy);
        }
        breaker.check();
        throw new ModelCallException(spec + ": " + what + " at " + (lastEp == null ? "" : lastEp.base())
                + " failed after " + settings.maxAttempts() + " attempts; last: " + last);
    }

    private sealed interface Verdict<T> {
    }

    private record Won<T>(T value) implements Verdict<T> {
    }

    private record Lost<T>(Failure failure, boolean notJson) implements Verdict<T> {
    }

    /**
     * Reads a finished attempt and releases its permit: the answer, a failure worth retrying, or an
     * exception — {@link ModelCallException} for this call, {@link ModelUnavailableException} for the run.
     */
    private <T> Verdict<T> judge(Attempt a, String what, Function<String, T> read, int notJsonSoFar) {
        Endpoint ep = a.ep;
        boolean legacy = settings.legacy();
        HttpResponse<String> resp;
        try {
            resp = a.future.join();
        } catch (java.util.concurrent.CancellationException e) {
            a.done(ConcurrencyLimit.Outcome.OTHER, legacy);
            return new Lost<>(new Failure("cancelled", 0), false);
        } catch (java.util.concurrent.CompletionException e) {
            a.done(ConcurrencyLimit.Outcome.OTHER, legacy);
            Throwable cause = e.getCause();
            String why = key.redact(describe(cause, ep));
            breaker.failure(spec, ep.base().toString(), why);
            if (!ep.answered().get() && cannotConnect(cause)) {
                throw breaker.trip("--model " + spec + ": cannot reach " + ep.base() + " (" + why + "). "
                        + "Check --model-base-url and that the server is running.");
            }
            return new Lost<>(new Failure("connection failed (" + why + ")", 0), false);
        }
        int code = resp.statusCode();
        String body = resp.body();
        if (code / 100 == 2) {
            try {
                T value;
                try {
                    value = read.apply(body);
                } catch (RuntimeException e) {
                    if (!(e instanceof Json.MalformedBody)) a.done(ConcurrencyLimit.Outcome.OTHER, legacy);
                    throw e;
                }
                a.done(ConcurrencyLimit.Outcome.SUCCESS, legacy);
                latency.add(System.nanoTime() - a.sent);
                breaker.success();
                ep.answered().set(true);
                answeredCalls.add(what);
                return new Won<>(value);
            } catch (Json.MalformedBody e) {
                a.done(ConcurrencyLimit.Outcome.OTHER, legacy);
                String why = key.redact(e.getMessage());
                breaker.failure(spec, ep.base().toString(), why);
                boolean isJson = isJson(body);
                boolean neverAnswered = !answeredCalls.contains(what);
                if (isJson && neverAnswered) {
                    // Valid JSON of the wrong shape is what this server sends for this call, not line noise.
                    throw breaker.trip("--model " + spec + ": " + what + " at " + ep.base()
                            + " gave an answer that cannot be right (" + why + "): the server does not support this call "
                            + "(for scoring it must return one choice per prompt with echo and logprobs).");
                }
                if (!isJson && neverAnswered && notJsonSoFar + 1 >= 3) {
                    throw breaker.trip("--model " + spec + ": " + what + " at " + ep.base() + " answered "
                            + (notJsonSoFar + 1) + " times with a body that is not JSON (" + why + ": "
                            + key.redact(snippet(body)) + "). Is this an OpenAI-compatible API?");
                }
                return new Lost<>(new Failure("malformed answer (" + why + ")", 0), !isJson);
            }
        }
        String detail = key.redact(snippet(body));
        var outcome = code == 429 || code == 529 ? ConcurrencyLimit.Outcome.OVERLOAD : ConcurrencyLimit.Outcome.OTHER;
        a.done(outcome, legacy);
        if (code == 401 || code == 403) {
            throw breaker.trip("--model " + spec + ": HTTP " + code + " from " + ep.base() + " (" + detail + "). "
                    + (key.present() ? "The key in $" + key.variable() + " was refused; set it to a valid key."
                    : "No key was sent; set OPENAI_API_KEY or name a variable with api_key_env."));
        }
        String last = "HTTP " + code + " " + detail;
        if (code == 404 && !ep.answered().get()) {
            throw breaker.trip("--model " + spec + ": HTTP 404 from " + ep.base() + " for " + what + " (" + detail
                    + "): the server does not serve this model or this path. Check the model name and --model-base-url.");
        }
        if (!(code == 408 || code == 409 || code == 429 || code >= 500)) {
            throw new ModelCallException(spec + ": " + what + " at " + ep.base() + " was rejected: " + last);
        }
        if (outcome == ConcurrencyLimit.Outcome.OTHER) breaker.failure(spec, ep.base().toString(), last);
        return new Lost<>(new Failure(last, retryAfterMs(resp)), false);
    }

    private static boolean isJson(String body) {
        try {
            Json.MAPPER.readTree(body);
            return body != null && !body.isBlank();
        } catch (Exception e) {
            return false;
        }
    }

    /** Refused, unknown host, or no connection within the connect timeout: the URL is wrong or the server down. */
    private static boolean cannotConnect(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.nio.channels.UnresolvedAddressException
                    || c instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong on the connection, in words: the JDK's exceptions often carry a null message. */
    static String describe(Throwable t, Endpoint ep) {
        String host = ep.base().getHost() + (ep.base().getPort() < 0 ? "" : ":" + ep.base().getPort());
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.nio.channels.UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
                return "host " + ep.base().getHost() + " not found (DNS)";
            }
            if (c instanceof java.net.http.HttpConnectTimeoutException) {
                return "no connection to " + host + " within " + CONNECT_TIMEOUT.toSeconds() + " s";
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) return "connection to " + host + " refused";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.EOFException) return "the connection closed before the answer was complete";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) return c.getClass().getSimpleName() + ": " + c.getMessage();
        }
        return t == null ? "unknown error" : t.getClass().getSimpleName();
    }

    private long backoffMs(int attempt, long retryAfterMs) {
        long ceiling = Math.min(settings.backoffCap().toMillis(),
                settings.backoffBase().toMillis() << Math.min(20, attempt - 1));
        long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        return Math.max(jittered, retryAfterMs);
    }

    /** Retry-After in seconds or as an HTTP date; retry-after-ms (OpenAI) if given. Capped at 2 minutes. */
    private static long retryAfterMs(HttpResponse<?> resp) {
        try {
            var ms = resp.headers().firstValue("retry-after-ms");
            if (ms.isPresent()) return Math.min(120_000, (long) Double.parseDouble(ms.get()));
            var s = resp.headers().firstValue("retry-after");
            if (s.isEmpty()) return 0;
            String v = s.get().strip();
            if (v.chars().allMatch(Character::isDigit)) return Math.min(120_000, Long.parseLong(v) * 1000);
            var when = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.clamp(Duration.between(java.time.Instant.now(), when.toInstant()).toMillis(), 0, 120_000);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String snippet(String body) {
        if (body == null) return "";
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException("interrupted while backing off");
        }
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
