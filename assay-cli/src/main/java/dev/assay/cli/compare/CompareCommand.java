package dev.assay.cli.compare;

import dev.assay.AssayException;
import dev.assay.cli.Sweep;
import dev.assay.run.RunHeader;
import dev.assay.run.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", sortOptions = false,
        description = {"Compare two runs item by item on the samples they share (same suite and sample id).",
                "Prints, per suite and score, the mean paired difference B − A with its 95%% t interval and a paired test",
                "(McNemar's exact test for 0/1 scores, a paired t test otherwise), the quantile shifts of the per-sample",
                "distributions in results.json (log-probs, lengths, costs, scores), then the items that changed most."},
        footer = {"", "Examples:",
                "  assay compare 20261122-101500-3f2a 20261122-113000-9c1d",
                "  assay compare RUN_A RUN_B --score match_prob --top 20"})
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The baseline run (id in --out, or a run folder).")
    String runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The run compared with it.")
    String runB;

    @Option(names = "--score", paramLabel = "NAME", split = ",", description = "Only these scores (default: every score both runs have).")
    List<String> scores = new ArrayList<>();

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many most-changed items to list per score (default ${DEFAULT-VALUE}; 0 for none).")
    int top;

    @CommandLine.Mixin
    dev.assay.cli.StoreOption store;

    @Override
    public Integer call() {
        if (top < 0) throw new AssayException("--top " + top + ": must be 0 or more");
        dev.assay.store.Store st = store.open();
        dev.assay.store.StoredRun a = st.find(runA);
        dev.assay.store.StoredRun b = st.find(runB);
        PairedItems paired = PairedItems.of(a, b).only(scores);
        List<PairedItems.Item> items = paired.items();
        if (items.isEmpty()) {
            throw new AssayException("runs " + runA + " and " + runB + " share no scored items" + (scores.isEmpty() ? "" : " with score " + scores)
                    + ": A ran " + suites(a) + ", B ran " + suites(b) + ". Compare runs of the same suites.");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("A = " + describe(a));
        o.println("B = " + describe(b));
        o.printf(Locale.ROOT, "%n%-44s %-12s %6s %8s %8s %9s %21s %-14s %9s%n", "suite", "score", "n", "mean A", "mean B", "B − A", "95% CI", "test", "p");
        paired.bySuiteAndScore().forEach((k, c) -> {
            String test = c.test().equals(PairedComparison.MCNEMAR) ? "McNemar " + c.aToZero() + "↓" + c.zeroToOne() + "↑" : "paired t=" + num(c.statistic(), 2);
            o.printf(Locale.ROOT, "%-44s %-12s %6d %8s %8s %9s %21s %-14s %9s%n", clip(k.suite(), 44), clip(k.score(), 12), c.n(),
                    num(c.meanA(), 4), num(c.meanB(), 4), signed(c.meanDiff()), ci(c), test, p(c.p()));
        });
        QuantileShifts.print(o, a, b);
        if (top > 0) {
            Map<String, List<PairedItems.Item>> byScore = new LinkedHashMap<>();
            for (PairedItems.Item i : items.stream().sorted(Comparator.comparing(PairedItems.Item::score)).toList()) byScore.computeIfAbsent(i.score(), s -> new ArrayList<>()).add(i);
            byScore.forEach((score, list) -> {
                List<PairedItems.Item> changed = list.stream().filter(i -> i.diff() != 0)
                        .sorted(Comparator.comparingDouble((PairedItems.Item i) -> -Math.abs(i.diff()))
                                .thenComparing(PairedItems.Item::suite).thenComparing(PairedItems.Item::id))
                        .limit(top).toList();
                o.printf(Locale.ROOT, "%nitems that changed most in %s (%d of %d changed):%n", score,
                        list.stream().filter(i -> i.diff() != 0).count(), list.size());
                for (PairedItems.Item i : changed) {
                    o.printf(Locale.ROOT, "  %-44s %-40s A=%-8s B=%-8s B − A=%s%n", clip(i.suite(), 44), clip(i.id(), 40),
                            num(i.a(), 4), num(i.b(), 4), signed(i.diff()));
                }
            });
        }
        return 0;
    }

    private static String describe(dev.assay.store.StoredRun run) {
        RunHeader h = run.header();
        String label = h.spec().modelOptions().get(Sweep.PREFIX + "label");
        return h.id() + "  " + h.spec().model() + (label == null ? "" : " (" + label + ")");
    }

    private static String suites(dev.assay.store.StoredRun run) {
        return run.header().spec().suites().toString();
    }

    static String num(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String signed(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%+.4f", v);
    }

    static String ci(PairedComparison c) {
        return Double.isNaN(c.ciLow()) ? "—" : "[" + signed(c.ciLow()) + ", " + signed(c.ciHigh()) + "]";
    }

    static String p(double p) {
        if (Double.isNaN(p)) return "—";
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
