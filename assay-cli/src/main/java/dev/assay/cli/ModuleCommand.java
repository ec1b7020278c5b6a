package dev.assay.cli;

import java.util.concurrent.Callable;

/**
 * A top-level {@code assay} command that lives in a module assay-cli does not depend on: a picocli
 * {@code @Command} found through {@link java.util.ServiceLoader} (META-INF/services/dev.assay.cli.ModuleCommand),
 * as {@link Benchmark}s are for {@code assay bench}. assay-organisms' {@code assay organisms} is one: it loads
 * libtorch, which the rest of Assay must never load, so the CLI reaches it only through this door and the
 * launcher's class path.
 */
public interface ModuleCommand extends Callable<Integer> {
}
