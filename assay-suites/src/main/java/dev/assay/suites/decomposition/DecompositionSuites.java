package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
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

    /** {@code decomposition/METHOD/file:PATH#input=…,choices=…,target=…}: a method over a researcher's own multiple-choice file. */
    @Override
    public Suite named(String name) {
        if (!name.startsWith("decomposition/")) return null;
        String rest = name.substring("decomposition/".length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.startsWith("file:", slash + 1)) return null;
        String id = rest.substring(0, slash);
        for (Method m : Method.values()) {
            if (m.id.equals(id)) {
                return new DecompositionSuite(name, m, List.of(Tasks.Local.of(name, rest.substring(slash + 1))), ReleasedPrompts.ALL);
            }
        }
        return null;
    }
}
