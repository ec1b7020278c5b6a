package dev.assay.run;

import dev.assay.data.Sample;
import dev.assay.stats.Estimate;
import dev.assay.stats.Statistics;
import dev.assay.metric.Metric;
import dev.assay.suite.Suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes results from the log: reduces each sample's epochs to the mean of each score, then every
 * metric overall and per group, in dataset order. Bootstrap seeds derive from the run seed, suite and
 * metric, so the numbers are a pure function of the log.
 */
public final class ResultsCalculator {
    private final long runSeed;
    private final int resamples;

    public ResultsCalculator(long runSeed, int resamples) {
        this.runSeed = runSeed;
        this.resamples = resamples;
    }

    /**
     * Every suite's results computed from the run's log ({@code all}, as {@link RunLog#read} gives it),
     * written to results.json in {@code dir}. Both a run and a re-score end here, so results are made one way.
     */
    static Results writeResults(dev.assay.store.StoredRun run, String runId, RunSpec spec, Map<Suite, List<Sample>> loaded, Map<String, SampleRecord> all) {
        ResultsCalculator calc = new ResultsCalculator(spec.seed(), Statistics.DEFAULT_BOOTSTRAP);
        List<Results.SuiteResults> perSuite = new ArrayList<>();
        List<Results.Distribution> distributions = new ArrayList<>();
        loaded.forEach((suite, samples) -> {
            perSuite.add(calc.compute(suite, samples, all, spec.epochs()));
            distributions.addAll(Distributions.of(suite, samples, all, spec.epochs(), spec.settings().prices()));
        });
        Results results = new Results(runId, spec.model(), perSuite, distributions);
        run.writeResults(results);
        return results;
    }

    /** Samples that failed for good, over all suites. */
    static int errors(Results results) {
        return results.suites().stream().mapToInt(Results.SuiteResults::errors).sum();
    }

    /**
     * A sample's scores reduced over its successful epochs: the mean of each score, NaN values left out.
     * Results, comparisons and reports all reduce epochs this one way.
     */
    public static Map<String, Double> epochMeans(List<SampleRecord> epochs) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (SampleRecord r : epochs) {
            if (r.scores() == null) continue;
            r.scores().forEach((k, v) -> {
                if (v != null && !Double.isNaN(v)) {
                    double[] acc = sums.computeIfAbsent(k, x -> new double[2]);
                    acc[0] += v;
                    acc[1]++;
                }
            });
        }
        Map<String, Double> reduced = new LinkedHashMap<>();
        sums.forEach((k, acc) -> reduced.put(k, acc[0] / acc[1]));
        return reduced;
    }

    public Results.SuiteResults compute(Suite suite, List<Sample> samples, Map<String, SampleRecord> log, int epochs) {
        List<Metric.Scored> scored = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>(); // metadata of samples that failed in every epoch
        Map<String, Integer> methods = new TreeMap<>();
        int errors = 0;
        for (Sample s : samples) {
            Map<String, Object> meta = new HashMap<>(s.metadata());
            List<SampleRecord> ok = new ArrayList<>();
            for (int e = 1; e <= epochs; e++) {
                SampleRecord r = log.get(SampleRecord.key(suite.name(), s.id(), e));
                if (r == null) continue;
                if (!r.ok()) {
                    errors++;
                    continue;
                }
                ok.add(r);
                methods.merge(r.method(), 1, Integer::sum);
                meta.putIfAbsent("method", r.method());
            }
            if (!ok.isEmpty()) scored.add(new Metric.Scored(s.id(), epochMeans(ok), meta));
            else if (hasRecord(log, suite, s, epochs)) failed.add(meta);
        }
        List<Results.MetricValue> overall = metrics(suite, scored, failed.size(), "");
        List<Results.GroupResults> groups = new ArrayList<>();
        List<String> keys = new ArrayList<>(suite.groupBy());
        // Never mix methods silently: when a suite's samples were answered by both, break results down by method.
        if (methods.size() > 1) keys.add("method");
        List<String> conditions = new ArrayList<>();
        for (Sample s : samples) {
            String c = s.meta(dev.assay.suite.Condition.KEY);
            if (c != null && !conditions.contains(c)) conditions.add(c);
        }
        List<Results.Contrast> contrasts = new ArrayList<>();
        if (!conditions.isEmpty()) {
            // Each metric per condition, overall and per group, paired with the first condition.
            contrasts.addAll(contrasts(suite, scored, conditions, ""));
            for (String key : keys) {
                Map<String, List<Metric.Scored>> byValue = new LinkedHashMap<>();
                for (Metric.Scored s : scored) if (s.meta(key) != null) byValue.computeIfAbsent(s.meta(key), x -> new ArrayList<>()).add(s);
                byValue.forEach((v, members) -> contrasts.addAll(contrasts(suite, members, conditions, key + "=" + v)));
            }
            keys.addFirst(dev.assay.suite.Condition.KEY);
        }
        for (String key : keys) {
            Map<String, List<Metric.Scored>> byValue = new LinkedHashMap<>();
            for (Metric.Scored s : scored) {
                String v = s.meta(key);
                if (v != null) byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(s);
            }
            byValue.forEach((v, members) -> {
                int failedHere = (int) failed.stream().filter(m -> m.get(key) != null && v.equals(m.get(key).toString())).count();
                groups.add(new Results.GroupResults(key, v, members.size(), metrics(suite, members, failedHere, key + "=" + v)));
            });
        }
        return new Results.SuiteResults(suite.name(), samples.size(), scored.size(), errors, methods, overall, groups, contrasts);
    }

    private List<Results.Contrast> contrasts(Suite suite, List<Metric.Scored> scored, List<String> conditions, String group) {
        return Contrasts.of(suite.metrics(), scored, conditions, group, resamples,
                what -> Seeds.derive(runSeed + "\u0000" + suite.name() + "\u0000contrast\u0000" + what));
    }

    /** Bootstrap over the clusters of {@code agg.cluster()}; n reports the number of clusters. */
    private Estimate clustered(List<Metric.Scored> scored, Metric.Aggregate agg, long seed) {
        Map<String, List<Metric.Scored>> byCluster = new LinkedHashMap<>();
        for (Metric.Scored s : scored) byCluster.computeIfAbsent(s.meta(agg.cluster()), k -> new ArrayList<>()).add(s);
        return Statistics.bootstrap(new ArrayList<>(byCluster.values()), picked -> agg.fn().applyAsDouble(copies(picked, agg.cluster())),
                resamples, seed);
    }

    /** Flattens drawn clusters, renaming the i-th copy's cluster key to "key#i" so duplicates stay apart. */
    static List<Metric.Scored> copies(List<List<Metric.Scored>> picked, String key) {
        List<Metric.Scored> out = new ArrayList<>();
        for (int i = 0; i < picked.size(); i++) {
            for (Metric.Scored s : picked.get(i)) {
                Map<String, Object> meta = new HashMap<>(s.metadata());
                meta.put(key, s.meta(key) + "#" + i);
                out.add(new Metric.Scored(s.id(), s.scores(), meta));
            }
        }
        return out;
    }

    private static boolean hasRecord(Map<String, SampleRecord> log, Suite suite, Sample s, int epochs) {
        for (int e = 1; e <= epochs; e++) if (log.containsKey(SampleRecord.key(suite.name(), s.id(), e))) return true;
        return false;
    }

    private List<Results.MetricValue> metrics(Suite suite, List<Metric.Scored> scored, int failed, String group) {
        List<Results.MetricValue> out = new ArrayList<>();
        for (Metric m : suite.metrics()) {
            Estimate e = estimate(m, scored, Seeds.derive(runSeed + "\u0000" + suite.name() + "\u0000" + m.name() + "\u0000" + group));
            int n = switch (m) {
                case Metric.Aggregate agg when agg.counted() != null -> (int) scored.stream().filter(s -> !Double.isNaN(s.score(agg.counted()))).count();
                default -> e.n();
            };
            Map<String, Integer> excluded = excluded(m, scored);
            if (failed > 0) excluded.put(ERROR, failed);
            out.add(new Results.MetricValue(m.name(), m.description(), e.value(), e.stderr(), e.ciLow(), e.ciHigh(), n, e.method(),
                    excluded, m.scale() == null ? null : m.scale().name().toLowerCase(java.util.Locale.ROOT),
                    "wilson".equals(e.method()) && m instanceof Metric.Mean mean ? proportion(mean, scored) : null));
        }
        return out;
    }

    /** A Wilson-interval mean is a mean of 0/1 scores: its count and n with the exact intervals too. */
    private static dev.assay.stats.Proportion proportion(Metric.Mean mean, List<Metric.Scored> scored) {
        return dev.assay.stats.Proportion.ofBinary(scored.stream().mapToDouble(s -> s.score(mean.score()))
                .filter(v -> !Double.isNaN(v)).toArray());
    }

    /** The reason results give for samples that failed in every epoch (they reach no metric). */
    public static final String ERROR = "error";

    /**
     * Per declared reason, the samples without the metric's value whose flag is set; each sample under its
     * first matching reason. Without a score to test for (an Aggregate that names no counted score) a
     * flagged sample counts as excluded.
     */
    static Map<String, Integer> excluded(Metric m, List<Metric.Scored> scored) {
        Map<String, Integer> out = new LinkedHashMap<>();
        String used = switch (m) {
            case Metric.Mean mean -> mean.score();
            case Metric.Aggregate agg -> agg.counted();
        };
        for (Metric.Scored s : scored) {
            if (used != null && !Double.isNaN(s.score(used))) continue;
            for (Metric.Exclusion x : m.exclusions()) {
                if (s.score(x.flag()) > 0) {
                    out.merge(x.reason(), 1, Integer::sum);
                    break;
                }
            }
        }
        return out;
    }

    /** One metric over a set of samples; {@code seed} drives the bootstrap. */
    public Estimate estimate(Metric m, List<Metric.Scored> scored, long seed) {
        return switch (m) {
            case Metric.Mean mean -> Statistics.mean(scored.stream().mapToDouble(s -> s.score(mean.score()))
                    .filter(v -> !Double.isNaN(v)).toArray());
            case Metric.Aggregate agg when agg.cluster() != null -> clustered(scored, agg, seed);
            case Metric.Aggregate agg -> Statistics.bootstrap(scored, agg.fn(), resamples, seed);
        };
    }
}
