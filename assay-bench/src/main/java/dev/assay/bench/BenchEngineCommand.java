package dev.assay.bench;

import dev.assay.AssayException;
import dev.assay.cli.Benchmark;
import dev.assay.llama.EngineBenchmark;
import dev.assay.llama.SyntheticModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code assay bench engine}: the embedded engine's speed beside llama.cpp's own C API on the same library
 * and model, batched versus naive multiple-choice scoring, and peak memory. Prints a table; the last three
 * lines are machine-readable.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Benchmark the embedded llama.cpp engine (prompt/generation speed vs the raw C API, "
                + "batched vs naive multiple-choice scoring, peak RSS).")
public final class BenchEngineCommand implements Benchmark {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "GGUF to benchmark (default: a synthetic SmolLM2-135M-shaped Q8_0 model, written on first use).")
    Path model;

    @Option(names = "--shape", defaultValue = "smollm2-135m", description = "Shape of the synthetic model: tiny, smollm2-135m, smollm2-360m, qwen2.5-0.5b.")
    String shape;

    @Option(names = "--tokenizer", description = "tokenizer.json for the synthetic model (default: $ASSAY_TOKENIZERS or /work/shared/tokenizers, smollm2-135m-instruct).")
    Path tokenizer;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Option(names = "--ctx", defaultValue = "1024", description = "Context tokens.")
    int ctx;

    @Option(names = "--ubatch", defaultValue = "128", description = "llama.cpp n_ubatch (compute buffer size).")
    int ubatch;

    @Option(names = "--items", defaultValue = "200", description = "Persona items for the multiple-choice comparison.")
    int items;

    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved speed rounds (best is reported).")
    int rounds;

    @Option(names = "--data", description = "Datasets directory (default: $ASSAY_DATA, else /work/shared/datasets).")
    Path data;

    @Option(names = "--work-dir", description = "Where the synthetic model is cached (default: ~/.cache/assay/bench).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path file = model != null ? model : syntheticModel(out);
            Path dataDir = data != null ? data : Path.of(envOr("ASSAY_DATA", "/work/shared/datasets"));
            var r = EngineBenchmark.run(new EngineBenchmark.Config(file, threads, ctx, ubatch, items, rounds,
                    dataDir.resolve("anthropic-evals").resolve("persona")), out);
            out.println();
            out.printf("%-34s %14s %14s %8s%n", "measure", "assay engine", "llama.cpp C", "ratio");
            out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %8.3f%n", "prompt tokens/s", r.oursPromptTps(), r.rawPromptTps(), r.promptRatio());
            out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %8.3f%n", "generation tokens/s", r.oursGenTps(), r.rawGenTps(), r.oursGenTps() / r.rawGenTps());
            out.printf("%-34s %14s %14s %8s%n", "", "batched", "naive", "speedup");
            out.printf(Locale.ROOT, "%-34s %14.2f %14.2f %8.2f%n", "MC items/s (" + items + " persona items)",
                    r.batchedItemsPerSec(), r.naiveItemsPerSec(), r.batchedSpeedup());
            out.printf(Locale.ROOT, "%-34s %14.2e%n", "max |batched - naive| log-prob", r.maxAbsDiff());
            out.printf("%-34s %14s %14s %8s%n", "", "peak RSS MB", "model MB", "ratio");
            out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %8.3f%n", "memory (VmHWM)", r.peakRssBytes() / 1e6, r.modelBytes() / 1e6, r.rssRatio());
            out.printf(Locale.ROOT, "prompt_ratio=%.3f%n", r.promptRatio());
            out.printf(Locale.ROOT, "batched_speedup=%.3f%n", r.batchedSpeedup());
            out.printf(Locale.ROOT, "rss_ratio=%.3f%n", r.rssRatio());
            out.flush();
            return 0;
        } catch (AssayException e) {
            spec.commandLine().getErr().println("assay: " + e.getMessage());
            return e.exitCode();
        }
    }

    private static String envOr(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    private Path syntheticModel(PrintWriter out) throws IOException {
        var s = SyntheticModel.Shape.named(shape);
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".cache", "assay", "bench");
        Path file = dir.resolve("synthetic-" + s.name() + "-q8_0.gguf");
        if (Files.isRegularFile(file)) return file;
        Path tok = tokenizer != null ? tokenizer
                : Path.of(envOr("ASSAY_TOKENIZERS", "/work/shared/tokenizers"), "smollm2-135m-instruct", "tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new AssayException("tokenizer " + tok + " not found: pass --tokenizer PATH/tokenizer.json or --model FILE.gguf");
        }
        out.println("writing synthetic " + s.name() + " model (random weights, Q8_0) to " + file);
        out.flush();
        SyntheticModel.write(file, s, tok, true, 1, SyntheticModel.CHATML_TEMPLATE);
        return file;
    }
}
