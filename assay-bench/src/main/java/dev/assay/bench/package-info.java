/**
 * {@code assay bench http|view|engine|sandbox}: each a {@link dev.assay.cli.Benchmark} that prints a table whose
 * last lines are {@code key=value}, registered in META-INF/services/dev.assay.cli.Benchmark. The engine's
 * measurement itself stays in assay-llama ({@link dev.assay.llama.EngineBenchmark}): it drives llama.cpp's C API
 * beside the engine, through that package's internals.
 */
package dev.assay.bench;
