package dev.assay.run;

import java.util.List;
import java.util.Map;

/**
 * Everything that determines a run's results: what to evaluate, with which model(s), how many items,
 * epochs and seed. Stored in the run header so that --resume and re-scoring rebuild the same run.
 *
 * @param format       "raw", "chat", or null for each suite's default
 * @param modelOptions provider settings (base URLs, batch, threads); secrets never go here
 * @param settings     answering method, generation overrides, suite parameters, prices
 * @param conditions   --condition rewrites of the prompts (every item runs under each); empty: each suite's own, if any
 */
public record RunSpec(List<String> suites, String model, Map<String, String> roles, int limit, int epochs, long seed,
                      String format, int concurrency, List<String> baseUrls, Map<String, String> modelOptions,
                      RunSettings settings,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<dev.assay.suite.Condition> conditions) {
    public RunSpec {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        suites = List.copyOf(suites);
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        // A key inside a URL (http://u:KEY@host) must not reach header.json.
        baseUrls = baseUrls == null ? List.of() : baseUrls.stream().map(dev.assay.model.ModelOptions::withoutUserInfo).toList();
        modelOptions = modelOptions == null ? Map.of() : Map.copyOf(modelOptions);
        settings = settings == null ? RunSettings.DEFAULTS : settings;
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1");
    }

    /** A run without --condition. */
    public RunSpec(List<String> suites, String model, Map<String, String> roles, int limit, int epochs, long seed,
                   String format, int concurrency, List<String> baseUrls, Map<String, String> modelOptions, RunSettings settings) {
        this(suites, model, roles, limit, epochs, seed, format, concurrency, baseUrls, modelOptions, settings, List.of());
    }

    /** A run with the default settings (auto answering, no overrides, no suite parameters). */
    public RunSpec(List<String> suites, String model, Map<String, String> roles, int limit, int epochs, long seed,
                   String format, int concurrency, List<String> baseUrls, Map<String, String> modelOptions) {
        this(suites, model, roles, limit, epochs, seed, format, concurrency, baseUrls, modelOptions, RunSettings.DEFAULTS);
    }

    public RunSpec withRoles(Map<String, String> newRoles) {
        return new RunSpec(suites, model, newRoles, limit, epochs, seed, format, concurrency, baseUrls, modelOptions, settings, conditions);
    }
}
