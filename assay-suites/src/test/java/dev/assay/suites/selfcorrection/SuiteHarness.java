package dev.assay.suites.selfcorrection;

import dev.assay.data.Sample;
import dev.assay.model.CallTag;
import dev.assay.run.ResultsCalculator;
import dev.assay.suite.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.Suite;
import dev.assay.suite.Transcript;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Solves, scores and summarises samples in-process, one epoch, the way the runner does (without its
 * statistics): the tests' view of a suite's numbers.
 */
public final class SuiteHarness {
    private SuiteHarness() {
    }

    public static List<Metric.Scored> score(Suite suite, List<Sample> samples, Function<String, ScriptedModel> modelFor) {
        List<Metric.Scored> out = new ArrayList<>();
        for (Sample s : samples) {
            ScriptedModel m = modelFor.apply(s.id());
            Transcript t = dev.assay.suite.SampleState.solve(suite.solver(), s, m.context(s.id()));
            Map<String, Double> scores = suite.scorer().score(s, t, new Scorer.ScoreContext(Map.of(), 7L, new CallTag(s.id(), 0, "score")));
            out.add(new Metric.Scored(s.id(), scores, s.metadata()));
        }
        return out;
    }

    /** Each metric's point estimate, computed as the runner computes it (no resamples: the CI is not asked for). */
    public static Map<String, Double> metrics(Suite suite, List<Metric.Scored> scored) {
        ResultsCalculator calc = new ResultsCalculator(0, 0);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : suite.metrics()) out.put(m.name(), calc.estimate(m, scored, 0).value());
        return out;
    }

    /** Metrics within each value of a metadata key. */
    public static Map<String, Map<String, Double>> byGroup(Suite suite, List<Metric.Scored> scored, String key) {
        Map<String, List<Metric.Scored>> groups = new LinkedHashMap<>();
        for (Metric.Scored s : scored) groups.computeIfAbsent(s.meta(key), k -> new ArrayList<>()).add(s);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        groups.forEach((g, list) -> out.put(g, metrics(suite, list)));
        return out;
    }
}
