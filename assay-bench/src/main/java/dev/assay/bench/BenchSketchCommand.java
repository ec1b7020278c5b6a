package dev.assay.bench;

import dev.assay.cli.Benchmark;
import dev.assay.sketch.QuantileSketch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code assay bench sketch}: our quantile sketch beside DataSketches KLL, REQ and t-digest on the inputs of
 * QUANTILES.md, in one run with the same seeds. Prints tables of max/mean rank error, size, merge error and
 * cost, updates/s, a worst-case table over many seeds, the goals G1–G5 with pass/fail, and machine-readable
 * last lines.
 */
@Command(name = "sketch", mixinStandardHelpOptions = true,
        description = "Benchmark the quantile sketch (assay-sketch) against DataSketches KLL k=200, REQ k=12 and "
                + "t-digest 3.3 (compression 200): rank error, size, merge error and cost, updates/s.")
public final class BenchSketchCommand implements Benchmark {

    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "10000000", description = "Items per input and seed (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seeds", defaultValue = "10", description = "Seeds for the main tables (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--worst-n", defaultValue = "1000000", description = "Items per input in the worst-case pass (default: ${DEFAULT-VALUE}).")
    int worstN;

    @Option(names = "--worst-seeds", defaultValue = "100", description = "Seeds in the worst-case pass (default: ${DEFAULT-VALUE}).")
    int worstSeeds;

    @Option(names = "--chunk", defaultValue = "10000", description = "Items per sketch in the merge test (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (n < 10_000 || seeds < 1 || worstN < 10_000 || worstSeeds < 0 || chunk < 100) {
            spec.commandLine().getErr().println("assay: --n and --worst-n must be >= 10000, --seeds >= 1, --worst-seeds >= 0, --chunk >= 100");
            return 2;
        }
        List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        String tier = jvm.stream().filter(a -> a.startsWith("-XX:TieredStopAtLevel=")).reduce((x, y) -> y).orElse("");
        if (tier.endsWith("=1"))
            out.println("note: the JIT stops at C1 (" + tier + ", the launcher's default for quick start-up); updates/s and µs are "
                    + "then low for every sketch alike. For throughput figures run with ASSAY_JAVA_OPTS=-XX:TieredStopAtLevel=4");
        var c = new SketchBenchmark.Config(n, seeds, worstN, worstSeeds, chunk);
        var r = SketchBenchmark.run(c, out);
        print(out, c, r);
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, SketchBenchmark.Config c, SketchBenchmark.Result r) {
        String ours = SketchBenchmark.SKETCHES.get(0), kll = SketchBenchmark.SKETCHES.get(1);
        out.println();
        out.printf(Locale.ROOT, "n = %,d per input, %d seeds, %d rank-spaced queries; errors ×10⁻³ (median over seeds)%n",
                c.n(), c.seeds(), SketchBenchmark.QUERIES);
        table(out, "max |rank error|, streaming", r, SketchBenchmark.Cell::maxErr, 1e3);
        table(out, "mean |rank error|, streaming", r, SketchBenchmark.Cell::meanErr, 1e3);
        table(out, "max |rank error| after merging " + Math.max(1, c.n() / c.chunk()) + " sketches of " + c.chunk() + " items",
                r, SketchBenchmark.Cell::mergedMaxErr, 1e3);

        out.println();
        out.printf("%-20s %14s %12s %12s %12s %14s%n", "sketch", "bytes (min-max)", "updates M/s", "(wall clock)", "merge µs/op*", "bound ×10⁻³");
        for (String s : SketchBenchmark.SKETCHES) {
            List<SketchBenchmark.Cell> all = new ArrayList<>();
            r.cells().get(s).values().forEach(all::addAll);
            int minB = all.stream().mapToInt(SketchBenchmark.Cell::bytes).min().orElse(0);
            int maxB = all.stream().mapToInt(SketchBenchmark.Cell::bytes).max().orElse(0);
            String bound = s.equals(ours) ? String.format(Locale.ROOT, "%.2f", QuantileSketch.DEFAULT_EPSILON * 1e3)
                    : s.equals(kll) ? "13.3 (99%)" : "none";
            out.printf(Locale.ROOT, "%-20s %14s %12.1f %12.1f %12.1f %14s%n", s, minB + "-" + maxB,
                    med(all, SketchBenchmark.Cell::updatesPerSec) / 1e6, med(all, SketchBenchmark.Cell::updatesPerWallSec) / 1e6,
                    med(all, SketchBenchmark.Cell::mergeMicros), bound);
        }

        out.println("updates/s and µs per CPU second of the measuring thread (time it was descheduled by other load is not counted)");
        out.println("* merging pieces that were serialised first (as shards arrive), one by one into the first piece");
        out.println();
        out.printf(Locale.ROOT, "worst case: max over %d seeds of max |rank error| ×10⁻³, streaming, n = %,d%n", c.worstSeeds(), c.worstN());
        out.printf("%-20s", "sketch");
        for (String in : SketchBenchmark.WORST) out.printf(" %11s", in);
        out.println();
        for (var e : r.worst().entrySet()) {
            out.printf("%-20s", e.getKey());
            for (String in : SketchBenchmark.WORST) out.printf(Locale.ROOT, " %11.2f", SketchBenchmark.max(e.getValue().get(in)) * 1e3);
            out.println();
        }
        out.printf("%-20s", "assay reported bound");
        for (String in : SketchBenchmark.WORST) out.printf(Locale.ROOT, " %11.2f", SketchBenchmark.max(r.worstBound().get(in)) * 1e3);
        out.println();
        out.printf("errors above our sketch's reported bound (all passes): %d%n", r.boundViolations());

        // Goals (QUANTILES.md §5).
        var oc = r.cells().get(ours);
        double worstStream = r.worst().isEmpty() ? 0 : SketchBenchmark.WORST.stream()
                .mapToDouble(in -> SketchBenchmark.max(r.worst().get(ours).get(in))).max().orElse(0);
        double mainWorst = SketchBenchmark.WORST.stream().mapToDouble(in -> Math.max(
                maxOf(oc.get(in), SketchBenchmark.Cell::maxErr), maxOf(oc.get(in), SketchBenchmark.Cell::mergedMaxErr))).max().orElse(0);
        double g1 = Math.max(worstStream, mainWorst);
        double g2 = g2(oc);
        double kllG2 = g2(r.cells().get(kll));
        double g3 = SketchBenchmark.POINT_MASSES.stream().mapToDouble(in -> Math.max(
                maxOf(oc.get(in), SketchBenchmark.Cell::maxErr), maxOf(oc.get(in), SketchBenchmark.Cell::mergedMaxErr))).max().orElse(0);
        double mergeRatio = SketchBenchmark.SMOOTH.stream().mapToDouble(in ->
                med(oc.get(in), SketchBenchmark.Cell::mergedMaxErr) / med(oc.get(in), SketchBenchmark.Cell::maxErr)).max().orElse(0);
        List<SketchBenchmark.Cell> all = new ArrayList<>();
        oc.values().forEach(all::addAll);
        double mergeUs = med(all, SketchBenchmark.Cell::mergeMicros);
        double ups = med(all, SketchBenchmark.Cell::updatesPerSec);
        int maxBytes = all.stream().mapToInt(SketchBenchmark.Cell::bytes).max().orElse(0);
        out.println();
        out.printf("%-64s %12s %10s %6s%n", "goal (QUANTILES.md §5, our sketch)", "measured", "target", "met");
        goal(out, "size at n (bytes, max over inputs and seeds)", maxBytes, 5300, maxBytes <= 5300, "%.0f");
        goal(out, "G1 worst-case max error, all worst-case inputs, streaming+merged", g1, 0.0166, g1 <= 0.0166 && r.boundViolations() == 0, "%.5f");
        goal(out, "G2 median over smooth inputs of max error", g2, 0.0015, g2 <= 0.0015, "%.5f");
        goal(out, "G3 point-mass inputs, max error", g3, 0.002, g3 <= 0.002, "%.5f");
        goal(out, "G4 merged / streaming max error, worst smooth input", mergeRatio, 2, mergeRatio <= 2, "%.2f");
        goal(out, "G4 µs per merge (median)", mergeUs, 50, mergeUs <= 50, "%.1f");
        goal(out, "G5 updates/s (median)", ups, 20e6, ups >= 20e6, "%.3g");
        out.printf(Locale.ROOT, "g1_max_err=%.6f%n", g1);
        out.printf(Locale.ROOT, "g2_median_err=%.6f%n", g2);
        out.printf(Locale.ROOT, "g3_max_err=%.6f%n", g3);
        out.printf(Locale.ROOT, "merge_us=%.2f%n", mergeUs);
        out.printf(Locale.ROOT, "updates_per_s=%.0f%n", ups);
        out.printf(Locale.ROOT, "kll_g2_median_err=%.6f%n", kllG2);
        List<SketchBenchmark.Cell> kllAll = new ArrayList<>();
        r.cells().get(kll).values().forEach(kllAll::addAll);
        out.printf(Locale.ROOT, "kll_updates_per_s=%.0f%n", med(kllAll, SketchBenchmark.Cell::updatesPerSec));
    }

    private static void goal(PrintWriter out, String what, double v, double target, boolean met, String fmt) {
        out.printf(Locale.ROOT, "%-64s %12s %10s %6s%n", what, String.format(Locale.ROOT, fmt, v),
                String.format(Locale.ROOT, "%.4g", target), met ? "yes" : "NO");
    }

    private static double g2(Map<String, List<SketchBenchmark.Cell>> cells) {
        List<Double> per = new ArrayList<>();
        for (String in : SketchBenchmark.SMOOTH) per.add(med(cells.get(in), SketchBenchmark.Cell::maxErr));
        return SketchBenchmark.median(per);
    }

    private static double med(List<SketchBenchmark.Cell> cells, ToDoubleFunction<SketchBenchmark.Cell> f) {
        return SketchBenchmark.median(cells.stream().map(x -> f.applyAsDouble(x)).toList());
    }

    private static double maxOf(List<SketchBenchmark.Cell> cells, ToDoubleFunction<SketchBenchmark.Cell> f) {
        return cells.stream().mapToDouble(f).max().orElse(0);
    }

    private static void table(PrintWriter out, String title, SketchBenchmark.Result r, ToDoubleFunction<SketchBenchmark.Cell> f, double scale) {
        out.println();
        out.println(title);
        out.printf("%-20s", "sketch");
        for (String in : SketchBenchmark.INPUTS) out.printf(" %11s", in);
        out.println();
        for (String s : SketchBenchmark.SKETCHES) {
            out.printf("%-20s", s);
            for (String in : SketchBenchmark.INPUTS) {
                var cells = r.cells().get(s).get(in);
                if (cells.isEmpty()) out.printf(" %11s", "-");
                else out.printf(Locale.ROOT, " %11.2f", med(cells, f) * scale);
            }
            out.println();
        }
    }
}
