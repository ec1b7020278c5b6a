package dev.assay.model;

import dev.assay.AssayException;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Opens a model from a "provider/name" spec through the registered {@link ModelProvider}s. */
public final class Models {
    private Models() {
    }

    /** Options every model takes: they are read by the runner's wrappers, not by a provider. */
    public static final java.util.Map<String, String> COMMON_OPTIONS = java.util.Map.of(
            "cache", "false: call the model even where the response cache has the answer (--no-cache)",
            "batch", "true: generate through the provider's batch API where it has one (--batch); others answer directly");

    /**
     * Refuses --model-option keys that none of the run's models (and roles) reads, naming the known ones:
     * a typo such as timout=5 would otherwise be ignored silently.
     */
    public static void checkOptions(java.util.Collection<String> specs, java.util.Map<String, String> options) {
        if (options.isEmpty()) return; // nothing to check, so no provider needs resolving (tests open their own models)
        java.util.Map<String, String> known = new java.util.TreeMap<>(COMMON_OPTIONS);
        List<String> names = new java.util.ArrayList<>();
        for (String spec : specs) {
            ModelProvider p = provider(spec);
            known.putAll(p.options());
            if (!names.contains(p.prefix())) names.add(p.prefix());
        }
        for (String key : options.keySet()) {
            // Namespaced keys (sweep.label, …) are run metadata recorded with the options, not settings.
            if (known.containsKey(key) || key.contains(".")) continue;
            StringBuilder sb = new StringBuilder("--model-option " + key + "=" + options.get(key) + ": no option '" + key + "' for "
                    + String.join(", ", names) + " models. Known options:");
            known.forEach((k, what) -> sb.append("\n  ").append(k).append("  ").append(what));
            throw new AssayException(sb.toString());
        }
    }

    public static List<ModelProvider> providers() {
        var byPrefix = new TreeMap<String, ModelProvider>();
        ServiceLoader.load(ModelProvider.class).forEach(p -> byPrefix.putIfAbsent(p.prefix(), p));
        return List.copyOf(byPrefix.values());
    }

    public static Model open(String spec, ModelOptions options) {
        int slash = spec.indexOf('/');
        return provider(spec).open(spec.substring(slash + 1), options);
    }

    /** The provider that serves {@code spec} ("provider/name"); a clear error for a bad or unknown one. */
    public static ModelProvider provider(String spec) {
        int slash = spec.indexOf('/');
        if (slash <= 0 || slash == spec.length() - 1) {
            throw new AssayException("--model " + spec + ": a model spec is provider/name, for example "
                    + "llama/qwen2.5-0.5b-instruct or replay/answers.jsonl. Known providers: " + prefixes());
        }
        String prefix = spec.substring(0, slash);
        for (ModelProvider p : providers()) {
            if (p.prefix().equals(prefix)) return p;
        }
        throw new AssayException("--model " + spec + ": no provider '" + prefix + "'. Known providers: "
                + prefixes() + " (assay list models)");
    }

    private static String prefixes() {
        return providers().stream().map(ModelProvider::prefix).collect(Collectors.joining(", "));
    }
}
