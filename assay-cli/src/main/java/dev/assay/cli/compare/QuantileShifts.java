package dev.assay.cli.compare;

import dev.assay.AssayException;
import dev.assay.run.Results;
import dev.assay.run.RunStore;
import dev.assay.sketch.QuantileSketch;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quantile shifts between two runs' per-sample distributions (results.json {@code distributions}): for each
 * distribution both runs have, p5/p25/p50/p75/p95 of A and B with B − A, and the largest gap between the two
 * CDFs (a Kolmogorov–Smirnov distance read from the sketches, exact up to the two rank-error bounds shown).
 */
final class QuantileShifts {
    static final String[] SHOWN = {"p5", "p25", "p50", "p75", "p95"};

    private QuantileShifts() {
    }

    static void print(PrintWriter o, dev.assay.store.StoredRun a, dev.assay.store.StoredRun b) {
        List<Results.Distribution> da, db;
        try {
            da = a.results().distributions();
            db = b.results().distributions();
        } catch (AssayException e) {
            return; // an unfinished run has no results.json: the paired table above still stands
        }
        Map<String, Results.Distribution> inB = new LinkedHashMap<>();
        db.forEach(d -> inB.put(d.suite() + "\u0000" + d.name(), d));
        boolean header = false;
        for (Results.Distribution x : da) {
            Results.Distribution y = inB.get(x.suite() + "\u0000" + x.name());
            if (y == null) continue;
            if (!header) {
                o.printf(Locale.ROOT, "%nquantile shifts (per-sample distributions; each cell A → B, Δ = B − A):%n");
                o.printf(Locale.ROOT, "%-32s %-18s %7s %7s", "suite", "distribution", "n A", "n B");
                for (String k : SHOWN) o.printf(Locale.ROOT, " %-26s", k);
                o.printf(Locale.ROOT, " %s%n", "max CDF gap");
                header = true;
            }
            o.printf(Locale.ROOT, "%-32s %-18s %7d %7d", clip(x.suite(), 32), clip(x.name(), 18), x.n(), y.n());
            for (String k : SHOWN) {
                double qa = x.quantiles().getOrDefault(k, Double.NaN), qb = y.quantiles().getOrDefault(k, Double.NaN);
                o.printf(Locale.ROOT, " %-26s", clip(g(qa) + " → " + g(qb) + " (" + (qb - qa >= 0 ? "+" : "") + g(qb - qa) + ")", 26));
            }
            o.printf(Locale.ROOT, " %.4f ± %.4f%n", cdfGap(x.decode(), y.decode()), x.rankErrorBound() + y.rankErrorBound());
        }
    }

    /** max over x of |F_A(x) − F_B(x)|, evaluated at both sketches' quantiles on a fine grid (the CDFs jump only there). */
    static double cdfGap(QuantileSketch a, QuantileSketch b) {
        double gap = 0;
        for (int i = 0; i <= 1000; i++) {
            double r = i / 1000.0;
            for (double x : new double[]{a.quantile(r), b.quantile(r)}) {
                gap = Math.max(gap, Math.abs(a.rank(x, true) - b.rank(x, true)));
                gap = Math.max(gap, Math.abs(a.rank(x, false) - b.rank(x, false)));
            }
        }
        return gap;
    }

    private static String g(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

}
