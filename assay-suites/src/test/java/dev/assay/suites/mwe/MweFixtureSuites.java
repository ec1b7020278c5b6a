package dev.assay.suites.mwe;

import dev.assay.data.DataFile;
import dev.assay.suite.Suite;

import java.util.List;

/** Model-written-evals suites over a test fixture, for tests in other packages (the suite class is package-private). */
public final class MweFixtureSuites {
    private MweFixtureSuites() {
    }

    /** A sycophancy-style suite named {@code name} over {@code file}, answered after "The best answer is". */
    public static Suite sycophancy(String name, DataFile file) {
        return new MweSuite(name, "fixture", List.of(new MweSuite.Source(file, MweSuites.BEST_ANSWER)));
    }

    /** A behaviour suite (as mwe/advanced-ai-risk/…) named {@code name} over {@code file}, without a prefill. */
    public static Suite behaviour(String name, DataFile file) {
        return new MweSuite(name, "fixture", List.of(new MweSuite.Source(file, "")));
    }
}
