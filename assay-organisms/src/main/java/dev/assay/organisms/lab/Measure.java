package dev.assay.organisms.lab;

import dev.assay.cache.CachingModel;
import dev.assay.data.DataStore;
import dev.assay.run.Results;
import dev.assay.run.RunSettings;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Condition;
import dev.assay.suite.Suites;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organism measured by Assay's own runner, in process, exactly as {@code assay run} would (the run is written
 * to the store, so {@code assay view}, {@code report} and {@code compare} read it): the evaluation's suite under its
 * conditions, on {@code llama/PATH.gguf}. The response cache is off: a retrained organism at the same path must
 * be asked again, not answered from a previous file's replies.
 */
public final class Measure {
    private Measure() {
    }

    /**
     * @param byCondition the metric under each condition ("" for a run without conditions)
     */
    public record Measured(String run, Path dir, Map<String, Results.MetricValue> byCondition, List<Results.Contrast> contrasts,
                           int errors) {
    }

    /**
     * Runs {@code e} on the GGUF. {@code extraOptions} are further model options (sweep metadata "sweep.KEY", threads);
     * {@code continueWith}, if not null, is the command of the experiment this run is one step of, which handles Ctrl-C
     * itself ({@link Runner#partOf}).
     */
    public static Measured run(Evaluation e, Path gguf, Path data, Path out, int limit, long seed, Map<String, String> extraOptions,
                               String continueWith) {
        DataStore store = data == null ? DataStore.fromEnvironment() : new DataStore(data, DataStore.defaultCache().resolve("data"));
        Runner runner = new Runner(new RunStore(out), store, Suites.discover(), CachingModel::open);
        if (continueWith != null) runner.partOf(continueWith);
        Map<String, String> options = new LinkedHashMap<>(extraOptions);
        options.put("cache", "false");
        RunSettings settings = new RunSettings("auto", null, null, null, null, e.params(), Map.of());
        RunSpec spec = new RunSpec(List.of(e.suite()), "llama/" + gguf.toAbsolutePath(), Map.of(), limit, 1, seed, null, 32,
                List.of(), options, settings, Condition.parseAll(e.conditions()));
        Runner.Outcome o = runner.start(spec, Runner.Listener.NONE);
        return read(o.id(), o.dir(), o.results(), e.metric(), o.errors());
    }

    /** The metric per condition (the "condition" group), or overall under "" when the run had no conditions. */
    static Measured read(String id, Path dir, Results results, String metric, int errors) {
        Map<String, Results.MetricValue> by = new LinkedHashMap<>();
        Results.SuiteResults s = results.suites().getFirst();
        for (Results.GroupResults g : s.groups()) {
            if (!g.key().equals("condition")) continue;
            g.metrics().stream().filter(m -> m.name().equals(metric)).findFirst().ifPresent(m -> by.put(g.value(), m));
        }
        if (by.isEmpty()) s.metrics().stream().filter(m -> m.name().equals(metric)).findFirst().ifPresent(m -> by.put("", m));
        List<Results.Contrast> contrasts = s.contrasts().stream().filter(c -> c.metric().equals(metric) && c.group().isEmpty()).toList();
        return new Measured(id, dir, by, contrasts, errors);
    }
}
