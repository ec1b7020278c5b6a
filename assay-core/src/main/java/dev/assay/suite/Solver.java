package dev.assay.suite;

import java.util.List;

/**
 * A solver, or one step of one (dev.assay.step): transforms a sample's state (its conversation and
 * store) by asking the model(s). A pure function of the sample and the context: everything random comes
 * from {@link SolveContext#random()}. Model calls are recorded by the runner, never by the solver.
 */
@FunctionalInterface
public interface Solver {
    void solve(SampleState state);

    /** The steps in order: a solver is a chain of small steps. */
    static Solver chain(Solver... steps) {
        List<Solver> all = List.of(steps);
        return s -> all.forEach(step -> step.solve(s));
    }
}
