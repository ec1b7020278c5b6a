package dev.assay.suite;

import dev.assay.data.Sample;
import dev.assay.sandbox.Limits;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a suite's samples act: the runner opens a fresh sandbox of {@code provider} per (sample, epoch)
 * whose tree starts as a copy of {@code fixture(sample)} (null: an empty tree), under {@code limits}, hands
 * it to the steps ({@link SampleState#sandbox()}), logs its final tree as a sandbox-snapshot event and closes
 * it after scoring. Scorers read the snapshot from the log, never the sandbox, so re-scoring needs none.
 */
public record Environment(Function<Sample, Path> fixture, Limits limits, String provider) {
    public static final String BWRAP = "bwrap";

    public Environment {
        Objects.requireNonNull(fixture, "fixture");
        limits = limits == null ? Limits.DEFAULT : limits;
        provider = provider == null || provider.isBlank() ? BWRAP : provider;
    }

    /** The same fixture directory for every sample, default limits, bubblewrap. */
    public static Environment of(Path fixture) {
        return new Environment(s -> fixture, Limits.DEFAULT, BWRAP);
    }
}
