package dev.assay.bench;

import dev.assay.AssayException;
import dev.assay.cli.Benchmark;
import dev.assay.llama.EngineBenchmark;
import dev.assay.llama.MemoryWorkload;
import dev.assay.llama.SyntheticModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code assay bench engine}: the embedded engine's speed beside llama.cpp's own C API on the same library
 * and model, batched versus naive multiple-choice scoring, and peak memory. Prints a table; the last three
 * lines are machine-readable.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Benchmark the embedded llama.cpp engine: prompt and generation speed beside the raw C API, "
                + "16 concurrent generations vs 1, batched vs naive multiple-choice scoring, early answering with and "
                + "without the prefix cache, and peak RSS beside a native process.")
public final class BenchEngineCommand implements Benchmark {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "GGUF to benchmark (default: a synthetic SmolLM2-135M-shaped Q8_0 model, written on first use).")
    Path model;

    @Option(names = "--shape", defaultValue = "smollm2-135m", description = "Shape of the synthetic model: tiny, smollm2-135m, smollm2-360m, qwen2.5-0.5b.")
    String shape;

    @Option(names = "--tokenizer", description = "tokenizer.json for the synthetic model (default: SmolLM2's, bundled in assay-llama).")
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

    @Option(names = "--concurrency", defaultValue = "16", description = "Concurrent sequences for the batched generation figures.")
    int concurrency;

    @Option(names = "--gen-tokens", defaultValue = "64", description = "Tokens each sequence generates in the batched generation figures.")
    int genTokens;

    @Option(names = "--prefix-tokens", defaultValue = "600", description = "Few-shot tokens before the chain of thought in the prefix-cache figure.")
    int prefixTokens;

    @Option(names = "--memory-shapes", defaultValue = "smollm2-135m,qwen2.5-0.5b", split = ",",
            description = "Synthetic shapes whose peak RSS is compared with a native process on the same library, model and context.")
    java.util.List<String> memoryShapes;

    @Option(names = "--no-memory", description = "Skip the memory comparison (it needs gcc).")
    boolean noMemory;

    @Option(names = "--data", description = "Datasets directory (default: $ASSAY_DATA, else /work/shared/datasets).")
    Path data;

    @Option(names = "--work-dir", description = "Where the synthetic model is cached (default: ~/.cache/assay/bench).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path file = model != null ? model : syntheticModel(out, shape);
            Path dataDir = data != null ? data : Path.of(envOr("ASSAY_DATA", "/work/shared/datasets"));
            var r = EngineBenchmark.run(new EngineBenchmark.Config(file, threads, ctx, ubatch, items, rounds,
                    dataDir.resolve("anthropic-evals").resolve("persona"), concurrency, genTokens, prefixTokens), out);
            Map<String, MemoryWorkload.Side[]> memory = new LinkedHashMap<>();
            if (!noMemory) {
                for (String s : memoryShapes) {
                    out.println("memory: " + s + " through Assay (a JVM with this one's flags) and a native C process …");
                    out.flush();
                    try {
                        memory.put(s, MemoryWorkload.compare(syntheticModel(out, s), ctx, ubatch, threads, concurrency, 32, 32, cacheDir()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 3;
                    }
                }
            }
            var g = r.generation();
            var p = r.prefix();
            out.println();
            out.printf("%-40s %14s %14s %8s%n", "measure", "assay engine", "llama.cpp C", "ratio");
            out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %8.3f%n", "prompt tokens/s", r.oursPromptTps(), r.rawPromptTps(), r.promptRatio());
            out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %8.3f%n", "generation tokens/s, 1 sequence", r.oursGenTps(), r.rawGenTps(), r.oursGenTps() / r.rawGenTps());
            out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %8.3f%n", "generation tokens/s, " + g.n() + " sequences", g.batchTps(), g.rawBatchTps(), g.ratio());
            out.printf("%-40s %14s %14s %8s%n", "", "batched", "alone/naive", "speedup");
            out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %8.2f%n", "generation tokens/s (" + g.n() + " vs 1)", g.batchTps(), g.aloneTps(), g.speedup());
            out.printf("%-40s %14s%n", "same greedy text alone and in the batch", g.sameTextInBatch() ? "yes" : "NO");
            out.printf(Locale.ROOT, "%-40s %14.2f %14.2f %8.2f%n", "MC items/s (" + items + " persona items)",
                    r.batchedItemsPerSec(), r.naiveItemsPerSec(), r.batchedSpeedup());
            out.printf(Locale.ROOT, "%-40s %14.2e%n", "max |batched - naive| log-prob", r.maxAbsDiff());
            out.printf("%-40s %14s %14s %8s%n", "", "prefix cache", "no cache", "speedup");
            out.printf(Locale.ROOT, "%-40s %14.2f %14.2f %8.2f%n", "early answering s (" + p.truncations() + " truncations)",
                    p.cachedSecs(), p.uncachedSecs(), p.speedup());
            out.printf(Locale.ROOT, "%-40s %14d %14d %8.3f%n", "prompt tokens decoded (ratio: / unique)", p.decodedWithCache(),
                    p.decodedWithout(), p.decodedRatio());
            out.printf(Locale.ROOT, "%-40s %14d%n", "unique tokens of the scored sequences", p.uniqueTokens());
            out.printf("%-40s %14s %14s %8s%n", "", "assay MB", "native MB", "over MB");
            double worst = Double.NaN;
            for (var e : memory.entrySet()) {
                var ours = e.getValue()[0];
                var nat = e.getValue()[1];
                double over = (ours.peakRssKb() - nat.peakRssKb()) / 1024.0;
                worst = Double.isNaN(worst) ? over : Math.max(worst, over);
                out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %8.1f%n", "peak RSS, " + e.getKey() + " (kv " + ours.context().get("kv_cells") + ")",
                        ours.peakRssKb() / 1024.0, nat.peakRssKb() / 1024.0, over);
            }
            out.printf(Locale.ROOT, "%-40s %14.1f %14.1f%n", "peak RSS of this process, model file", r.peakRssBytes() / (double) (1 << 20),
                    r.modelBytes() / (double) (1 << 20));
            out.printf(Locale.ROOT, "prompt_ratio=%.3f%n", r.promptRatio());
            out.printf(Locale.ROOT, "batched_speedup=%.3f%n", r.batchedSpeedup());
            out.printf(Locale.ROOT, "gen_batch_speedup=%.3f%n", g.speedup());
            out.printf(Locale.ROOT, "gen_batch_ratio=%.3f%n", g.ratio());
            out.printf(Locale.ROOT, "prefix_cache_speedup=%.3f%n", p.speedup());
            out.printf(Locale.ROOT, "prefix_tokens_decoded=%.3f%n", p.decodedRatio());
            if (!memory.isEmpty()) out.printf(Locale.ROOT, "rss_over_native_mb=%.1f%n", worst);
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

    private Path cacheDir() {
        return workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".cache", "assay", "bench");
    }

    private Path syntheticModel(PrintWriter out, String shapeName) throws IOException {
        var s = SyntheticModel.Shape.named(shapeName);
        Path dir = cacheDir();
        Path file = dir.resolve("synthetic-" + s.name() + "-q8_0.gguf");
        if (Files.isRegularFile(file)) return file;
        Path tok = tokenizer != null ? tokenizer : dev.assay.llama.BundledTokenizer.smolLm2();
        if (!Files.isRegularFile(tok)) {
            throw new AssayException("tokenizer " + tok + " not found: pass --tokenizer PATH/tokenizer.json or --model FILE.gguf");
        }
        out.println("writing synthetic " + s.name() + " model (random weights, Q8_0) to " + file);
        out.flush();
        SyntheticModel.write(file, s, tok, true, 1, SyntheticModel.CHATML_TEMPLATE);
        return file;
    }
}
