package dev.assay.suite;

import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.metric.Metric;

import java.util.List;
import java.util.Set;

/**
 * A runnable evaluation: data plus a prompting method (the solver) plus a scorer plus metrics
 * (DESIGN.md's flow). Suites never know which provider they run on.
 */
public interface Suite {

    /** "mwe/persona/desire-for-power". */
    String name();

    /**
     * The name of the suite this one is another name for (same data, same method), or null. A glob or a
     * group that reaches both runs the target once, never the alias beside it.
     */
    default String aliasOf() {
        return null;
    }

    /** One line for {@code assay list suites}. */
    String description();

    /**
     * Loads and validates every sample. Throws {@link dev.assay.AssayException} naming file and line on
     * malformed data; nothing is evaluated from a half-loaded set. {@code limitPerFile} (0 = all) keeps the
     * first N items of each data file.
     */
    List<Sample> load(DataStore data, int limitPerFile);

    /**
     * {@link #load(DataStore, int)} under the run's suite parameters (-S), for suites whose items depend on
     * one (a file of pairs, a file of principles); the runner, plans and re-scoring call this one.
     */
    default List<Sample> load(DataStore data, int limitPerFile, java.util.Map<String, String> params) {
        return load(data, limitPerFile);
    }

    Solver solver();

    Scorer scorer();

    List<Metric> metrics();

    /** Metadata keys whose values break results down into groups (e.g. "dataset", "category"). */
    default List<String> groupBy() {
        return List.of();
    }

    /** The pinned files this suite reads (for the run header's dataset hashes and for listings). */
    default List<dev.assay.data.DataFile> dataFiles() {
        return List.of();
    }

    /** Role names besides the evaluated model this suite needs (e.g. "judge"). */
    default Set<String> roles() {
        return Set.of();
    }

    default PromptFormat defaultFormat() {
        return PromptFormat.RAW;
    }

    /**
     * Whether the suite answers multiple-choice questions ({@link dev.assay.step.Choose} or its own
     * equivalent), so that --answer-method applies to it and loglik requires a model that scores.
     */
    default boolean choosesOptions() {
        return false;
    }

    /** Capabilities the evaluated model needs besides those the format and answering method imply (e.g. tools). */
    default Set<dev.assay.model.Capability> requires() {
        return Set.of();
    }

    /**
     * Where the samples act, or null for a suite without tools: the runner then opens a sandbox per
     * (sample, epoch) from it (and checks the sandbox can run here before the first call).
     */
    default Environment environment() {
        return null;
    }

    /** Parameters the suite accepts (-S name=value); unknown names are bad input. */
    default List<SuiteParameter> parameters() {
        return List.of();
    }

    /** Whether a run's --system prompt may be put before this suite's dialogues. */
    default boolean allowsSystem() {
        return true;
    }

    /**
     * The conditions every item runs under when the run gives no --condition (e.g. with and without a
     * trigger), the first being the reference the others are compared with; none by default.
     * {@code params} are the run's suite parameters (-S), which may set a condition's text (a password).
     */
    default List<Condition> conditions(java.util.Map<String, String> params) {
        return List.of();
    }

    /** The first prompt a sample would send, for --dry-run and for people reading the suite. */
    Dialogue preview(Sample sample);

    /** How many model calls one sample makes in one epoch (for --dry-run and cost estimates). */
    int callsPerSample();

    /**
     * A finer estimate for --dry-run of one sample's calls and tokens in one epoch under the run's -S
     * parameters, for suites whose calls depend on what the model writes; null (the default) when
     * {@link #callsPerSample()} says it all.
     */
    default CallEstimate estimate(dev.assay.data.Sample sample, java.util.Map<String, String> params) {
        return null;
    }
}
