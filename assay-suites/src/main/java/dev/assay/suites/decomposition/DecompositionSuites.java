package dev.assay.suites.decomposition;

import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The decomposition/… suites of Radhakrishnan et al. 2023: one per method ({@code few-shot}, {@code cot},
 * {@code cot-decomposition}, {@code factored}) over all four cot-transparency tasks (broken down per task) and
 * over each task alone ({@code decomposition/factored/aqua}).
 */
public final class DecompositionSuites implements SuiteProvider {
    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        for (Method m : Method.values()) {
            out.add(new DecompositionSuite("decomposition/" + m.id, m, Tasks.ALL, ReleasedPrompts.ALL));
            for (Tasks.Source s : Tasks.ALL) {
                out.add(new DecompositionSuite("decomposition/" + m.id + "/" + s.name(), m, List.of(s), ReleasedPrompts.ALL));
            }
        }
        return out;
    }
}
