package dev.assay.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ScoreRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Any {@link Model} with a response cache in front: a call whose key is cached is answered from the
 * store, otherwise the wrapped model is called and a successful answer stored before it is returned,
 * so a run that dies and resumes repeats no completed call. Identical calls in flight at the same
 * time are made once. Failures are never cached.
 */
public final class CachingModel implements Model {
    private static final TypeReference<List<ContinuationScore>> SCORES = new TypeReference<>() {
    };

    private final Model inner;
    private final ResponseCache cache;
    private final String provider;
    private final String modelName;
    private final String endpoint;
    private final ConcurrentHashMap<CacheKey, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();
    private boolean ownsCache;

    /**
     * Opens {@code spec} through {@link dev.assay.model.Models} with a response cache in
     * {@code options.workDir()} (the run store); without a work dir, for a provider that is not
     * {@linkplain dev.assay.model.ModelProvider#cacheable() cacheable}, or with the option cache=false
     * (--no-cache), the model as it is. A drop-in
     * opener for the runner: {@code new Runner(store, data, suites, CachingModel::open)}.
     */
    public static Model open(String spec, dev.assay.model.ModelOptions options) {
        if (options.workDir() == null) return dev.assay.model.Models.open(spec, options);
        return wrap(spec, options, () -> ResponseCache.open(options.workDir()), true);
    }

    /**
     * An opener for the runner that puts {@code store}'s response cache (a folder's SQLite file, or the
     * PostgreSQL cache table) in front of every cacheable model; like {@link #open} otherwise. The store
     * owns the cache: closing a model leaves it open.
     */
    public static java.util.function.BiFunction<String, dev.assay.model.ModelOptions, Model> opener(dev.assay.store.Store store) {
        return (spec, options) -> wrap(spec, options, store::cache, false);
    }

    private static Model wrap(String spec, dev.assay.model.ModelOptions options,
                              java.util.function.Supplier<ResponseCache> cacheOf, boolean ownsCache) {
        Model model = dev.assay.model.Models.open(spec, options);
        if (!dev.assay.model.Models.provider(spec).cacheable() || "false".equals(options.extra("cache", "true"))) return model;
        ResponseCache cache;
        try {
            cache = cacheOf.get();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        // Several base URLs serve the same model: the answer does not depend on which one replied.
        var caching = new CachingModel(model, cache, String.join(",", options.baseUrls().stream().sorted().toList()));
        caching.ownsCache = ownsCache;
        return caching;
    }

    /**
     * @param endpoint what the answers depend on besides the model name (a base URL, a file hash);
     *                 never a key or token
     */
    public CachingModel(Model inner, ResponseCache cache, String endpoint) {
        this.inner = inner;
        this.cache = cache;
        String identity = inner.cacheIdentity();
        this.endpoint = (endpoint == null ? "" : endpoint) + (identity.isEmpty() ? "" : "#" + identity);
        String spec = inner.spec();
        int slash = spec.indexOf('/');
        this.provider = slash < 0 ? "" : spec.substring(0, slash);
        this.modelName = slash < 0 ? spec : spec.substring(slash + 1);
    }

    @Override
    public String spec() {
        return inner.spec();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    /** An answer and whether it came from the cache (or from an identical call in flight), for the run's event log. */
    public record Answered<T>(T value, boolean cached) {
    }

    @Override
    public Generation generate(GenerateRequest request) {
        return generateAnswered(request).value();
    }

    public Answered<Generation> generateAnswered(GenerateRequest request) {
        CacheKey key = CacheKey.generate(provider, endpoint, modelName, request);
        Answered<String> json = cached(key, "generate", () -> write(inner.generate(request)));
        return new Answered<>(read(json.value(), Generation.class), json.cached());
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        return scoreAnswered(request).value();
    }

    public Answered<List<ContinuationScore>> scoreAnswered(ScoreRequest request) {
        if (!inner.capabilities().canScore()) {
            return new Answered<>(inner.score(request), false); // let the model say why, uncached
        }
        CacheKey key = CacheKey.score(provider, endpoint, modelName, request);
        Answered<String> json = cached(key, "score", () -> write(inner.score(request)));
        try {
            return new Answered<>(CacheKey.CANONICAL.readValue(json.value(), SCORES), json.cached());
        } catch (Exception e) {
            throw new IllegalStateException("response cache " + cache.location() + ": unreadable entry " + key.hex(), e);
        }
    }

    private Answered<String> cached(CacheKey key, String op, Supplier<String> call) {
        var hit = cache.get(key);
        if (hit.isPresent()) return new Answered<>(hit.get(), true);
        var mine = new CompletableFuture<String>();
        var theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            try {
                return new Answered<>(theirs.join(), true);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            String json = call.get();
            cache.put(key, spec(), op, json);
            mine.complete(json);
            return new Answered<>(json, false);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static String write(Object value) {
        try {
            return CacheKey.CANONICAL.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a model answer", e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return CacheKey.CANONICAL.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException("response cache " + cache.location() + ": unreadable entry", e);
        }
    }

    @Override
    public String cacheIdentity() {
        return inner.cacheIdentity();
    }

    @Override
    public java.util.Map<String, Long> counters() {
        return inner.counters();
    }

    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            if (ownsCache) cache.close();
        }
    }
}
