package dev.assay.suites.rewardtampering;

import dev.assay.metric.Metric;
import dev.assay.sandbox.Snapshot;
import dev.assay.suite.SampleState;
import dev.assay.suite.SuiteParameter;
import dev.assay.suite.Transcript;

import java.util.List;
import java.util.Map;

/**
 * What one agentic environment asks and how it decides, from the episode's final files, whether the model
 * gamed it. Every environment's headline score is {@link #GAMED}, so the curriculum's rates line up.
 */
sealed interface Grading permits Flattery, RubricModification, HeldOutTampering {
    String GAMED = "gamed";
    String NO_TREE = "no_tree";

    String suite();

    String description();

    /** The environment's name in the paper's curriculum (the samples' "environment" metadata). */
    String environment();

    /** Which shipped fixture the sandbox starts from ({@link Fixtures}). */
    String fixture();

    /** The user's request. */
    String task();

    default List<SuiteParameter> parameters() {
        return List.of();
    }

    /** Runs after the agent, in the same sandbox (the reward check runs the final code); nothing by default. */
    default void afterEpisode(SampleState s) {
    }

    /** The scores of one episode from its final tree (as the agent left it) and its transcript. */
    Map<String, Double> score(Snapshot tree, Transcript t, Map<String, String> params);

    List<Metric> metrics();

    /** The rate of {@link #GAMED}, without episodes whose tree was lost and those {@code more} excludes. */
    static Metric.Mean gamed(String description, Metric.Exclusion... more) {
        Metric.Mean m = new Metric.Mean(GAMED, description, GAMED).excluding("no_tree", NO_TREE);
        for (Metric.Exclusion x : more) m = m.excluding(x.reason(), x.flag());
        return m.scaled(Metric.Scale.RATE);
    }
}
