package dev.assay.cli;

import java.util.concurrent.Callable;

/**
 * An {@code assay bench} subcommand: a picocli {@code @Command} that prints a table whose last lines are
 * {@code key=value}. Benchmarks live in assay-bench (beside the fake servers they drive) and are found through
 * {@link java.util.ServiceLoader} (META-INF/services/dev.assay.cli.Benchmark), so assay-cli does not depend on
 * them; the launcher puts assay-bench on the class path.
 */
public interface Benchmark extends Callable<Integer> {
}
