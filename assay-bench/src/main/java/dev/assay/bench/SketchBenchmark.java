package dev.assay.bench;

import com.tdunning.math.stats.MergingDigest;
import dev.assay.sketch.QuantileSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.datasketches.req.ReqSketch;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Our quantile sketch beside DataSketches KLL (k=200, doubles), REQ (k=12, HRA, floats) and t-digest 3.3
 * (MergingDigest, compression 200), in one run on the same inputs and seeds (QUANTILES.md §3.1): max and mean
 * |rank error| over 1000 rank-spaced queries, serialised size, update throughput, and a 1000-way merge of
 * 10⁴-item sketches (error and µs per merge). A second pass runs the worst-case inputs over many more seeds
 * for our sketch and KLL, and checks every error against our sketch's reported bound.
 */
final class SketchBenchmark {

    record Config(int n, int seeds, int worstN, int worstSeeds, int chunk) {
    }

    /** Inputs in the canonical order (the data seed is seed·1000 + position). */
    static final List<String> INPUTS = List.of("uniform", "normal", "lognormal", "pareto1", "sorted", "loguniform2",
            "discrete11", "latency", "logprob", "attack");
    static final List<String> SMOOTH = List.of("uniform", "normal", "lognormal", "pareto1", "latency");
    static final List<String> POINT_MASSES = List.of("discrete11", "logprob");
    static final List<String> WORST = List.of("loguniform2", "discrete11", "sorted", "logprob", "latency", "attack");
    static final List<String> SKETCHES = List.of("assay k=236", "KLL-d k=200", "REQ-f k=12 HRA", "tdigest-3.3 c=200");
    static final int QUERIES = 1000;

    /** One measured cell: a sketch on one input and seed. */
    /**
     * Throughput and merge cost are per CPU second of the measuring thread (ThreadMXBean), so time the thread
     * spends descheduled by other work on the machine is not counted; {@code updatesPerWallSec} is the same loop
     * by the wall clock.
     */
    record Cell(double maxErr, double meanErr, int bytes, double updatesPerSec, double updatesPerWallSec,
                double mergedMaxErr, double mergeMicros, double bound) {
    }

    record Result(Map<String, Map<String, List<Cell>>> cells, Map<String, Map<String, List<Double>>> worst,
                  Map<String, List<Double>> worstBound, int boundViolations) {
    }

    // ---- the sketches under test, behind one shape ----

    interface Subject {
        void update(double x);

        /** Estimated normalised rank at q; mid-point rule for t-digest (it is scored against mid-point truth). */
        double rank(double q);

        int bytes();

        void merge(Subject other);

        default double bound() {
            return Double.NaN;
        }
    }

    static Subject make(String name, long seed) {
        return switch (name) {
            case "assay k=236" -> new Ours(new QuantileSketch(seed));
            case "KLL-d k=200" -> {
                reseedKll(seed);
                yield new Kll(KllDoublesSketch.newHeapInstance(200));
            }
            case "REQ-f k=12 HRA" -> new Req(ReqSketch.builder().setK(12).setHighRankAccuracy(true).build());
            case "tdigest-3.3 c=200" -> new Td(new MergingDigest(200));
            default -> throw new IllegalArgumentException(name);
        };
    }

    record Ours(QuantileSketch s) implements Subject {
        public void update(double x) {
            s.update(x);
        }

        public double rank(double q) {
            return s.rank(q, true);
        }

        public int bytes() {
            return s.serializedSizeBytes();
        }

        public void merge(Subject o) {
            s.merge(((Ours) o).s);
        }

        public double bound() {
            return s.rankErrorBound();
        }
    }

    record Kll(KllDoublesSketch s) implements Subject {
        public void update(double x) {
            s.update(x);
        }

        public double rank(double q) {
            return s.getRank(q, QuantileSearchCriteria.INCLUSIVE);
        }

        public int bytes() {
            return s.toByteArray().length;
        }

        public void merge(Subject o) {
            s.merge(((Kll) o).s);
        }
    }

    record Req(ReqSketch s) implements Subject {
        public void update(double x) {
            s.update((float) x);
        }

        public double rank(double q) {
            return s.getRank((float) q, QuantileSearchCriteria.INCLUSIVE);
        }

        public int bytes() {
            return s.toByteArray().length;
        }

        public void merge(Subject o) {
            s.merge(((Req) o).s);
        }
    }

    record Td(MergingDigest s) implements Subject {
        public void update(double x) {
            s.add(x);
        }

        public double rank(double q) {
            return s.cdf(q);
        }

        public int bytes() {
            s.compress();
            return s.byteSize();
        }

        public void merge(Subject o) {
            s.add(((Td) o).s);
        }
    }

    /** DataSketches KLL shares one unseeded static Random; reseed it so a run is reproducible (QUANTILES.md §2.1). */
    static void reseedKll(long seed) {
        try {
            Field f = KllSketch.class.getDeclaredField("random");
            f.setAccessible(true);
            ((Random) f.get(null)).setSeed(seed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reseed DataSketches KLL's static Random: " + e, e);
        }
    }

    // ---- inputs ----

    static double[] generate(String input, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1000 + INPUTS.indexOf(input));
        double[] x = new double[n];
        switch (input) {
            case "uniform" -> { for (int i = 0; i < n; i++) x[i] = r.nextDouble(); }
            case "normal" -> { for (int i = 0; i < n; i++) x[i] = r.nextGaussian(); }
            case "lognormal" -> { for (int i = 0; i < n; i++) x[i] = Math.exp(r.nextGaussian()); }
            case "pareto1" -> { for (int i = 0; i < n; i++) { double u = r.nextDouble(); x[i] = u / (1 - u); } }
            case "sorted" -> { for (int i = 0; i < n; i++) x[i] = r.nextDouble(); Arrays.sort(x); }
            case "loguniform2" -> {
                double e = Math.log10(Double.MAX_VALUE / n);
                for (int i = 0; i < n; i++) {
                    double u = r.nextDouble();
                    double sign = r.nextBoolean() ? 1 : -1;
                    x[i] = sign * Math.pow(10, (u * u - 0.5) * 2 * e);
                }
            }
            case "discrete11" -> { for (int i = 0; i < n; i++) { double u = r.nextDouble(); x[i] = Math.floor(11 * u * u); } }
            case "latency" -> {
                for (int i = 0; i < n; i++) {
                    double u = r.nextDouble();
                    x[i] = u < 0.70 ? Math.exp(Math.log(0.8) + 0.5 * r.nextGaussian())
                            : u < 0.995 ? Math.exp(Math.log(4.0) + 0.6 * r.nextGaussian()) : 60.0;
                }
            }
            case "logprob" -> {
                for (int i = 0; i < n; i++) {
                    double u = r.nextDouble();
                    x[i] = u < 0.15 ? 0.0 : u < 0.80 ? -0.05 * exp1(r) : -3.0 * exp1(r);
                }
            }
            case "attack" -> attack(x, r, seed);
            default -> throw new IllegalArgumentException(input);
        }
        return x;
    }

    private static double exp1(SplittableRandom r) {
        return -Math.log(1 - r.nextDouble());
    }

    /**
     * An adaptive attack on the interpolating part, after CMRV's careful attack on t-digest: it watches our sketch
     * (through its public queries) and keeps inserting tight clusters just above the value the sketch puts at
     * the median, inside the gap between two retained items, where interpolation assumes the mass is spread out.
     * Each round nests inside the previous cluster's gap, so a retained item's position bounds widen as far as
     * the input can push them. One in four items is fresh uniform noise, so the gaps keep moving.
     */
    static void attack(double[] x, SplittableRandom r, long seed) {
        QuantileSketch victim = new QuantileSketch(seed);
        int n = x.length, i = 0, batch = 2048;
        for (; i < Math.min(n, 20_000); i++) victim.update(x[i] = r.nextDouble());
        int round = 0;
        while (i < n) {
            double target = 0.25 + 0.5 * ((round * 0.618034) % 1.0); // sweep the middle, but revisit nearby ranks
            double a = victim.quantile(target);
            double b = victim.quantile(Math.min(1, target + 1.0 / victim.k()));
            if (!(b > a)) b = Math.nextUp(a) + Math.ulp(a) * 64;
            double width = (b - a) * 1e-3;
            for (int j = 0; j < batch && i < n; j++, i++) {
                double v = (j & 3) == 3 ? r.nextDouble() : a + width * (j + 1) / batch;
                x[i] = v;
                victim.update(v);
            }
            round++;
        }
    }

    // ---- measurement ----

    /** Query points and their inclusive (or mid-point) truth, from the sorted stream. */
    record Truth(double[] q, double[] incl, double[] mid) {
        static Truth of(double[] data) {
            double[] s = data.clone();
            Arrays.sort(s);
            int n = s.length;
            double[] q = new double[QUERIES], incl = new double[QUERIES], mid = new double[QUERIES];
            for (int i = 0; i < QUERIES; i++) {
                q[i] = s[(int) Math.floor((i + 0.5) / QUERIES * n)];
                int le = upper(s, q[i]), lt = lower(s, q[i]);
                incl[i] = (double) le / n;
                mid[i] = 0.5 * (le + lt) / n;
            }
            return new Truth(q, incl, mid);
        }

        private static int upper(double[] s, double q) { // count ≤ q
            int l = 0, r = s.length;
            while (l < r) { int m = (l + r) >>> 1; if (s[m] <= q) l = m + 1; else r = m; }
            return l;
        }

        private static int lower(double[] s, double q) { // count < q
            int l = 0, r = s.length;
            while (l < r) { int m = (l + r) >>> 1; if (s[m] < q) l = m + 1; else r = m; }
            return l;
        }

        double[] errors(Subject s, boolean midpoint) {
            double max = 0, sum = 0;
            double[] t = midpoint ? mid : incl;
            for (int i = 0; i < QUERIES; i++) {
                double e = Math.abs(s.rank(q[i]) - t[i]);
                if (!(e == e)) e = 1; // a NaN answer is as wrong as can be
                max = Math.max(max, e);
                sum += e;
            }
            return new double[]{max, sum / QUERIES};
        }
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    static Cell measure(String sketch, double[] data, Truth truth, long seed, int chunk) {
        boolean mid = sketch.startsWith("tdigest");
        Subject s = make(sketch, seed);
        long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
        for (double x : data) s.update(x);
        long c1 = CPU.getCurrentThreadCpuTime(), t1 = System.nanoTime();
        double ups = data.length / ((c1 - c0) / 1e9), upsWall = data.length / ((t1 - t0) / 1e9);
        double[] err = truth.errors(s, mid);
        int bytes = s.bytes();
        double bound = s.bound();

        // 1000-way merge (at n = 10^7): contiguous chunks sketched, then merged one by one into the first.
        int parts = Math.max(1, data.length / chunk);
        Subject[] pieces = new Subject[parts];
        for (int p = 0; p < parts; p++) {
            pieces[p] = make(sketch, seed + 1 + p);
            int end = p == parts - 1 ? data.length : (p + 1) * chunk;
            for (int i = p * chunk; i < end; i++) pieces[p].update(data[i]);
        }
        // Shards arrive serialised, so each piece is compacted (serialised) before the timed merges; for our
        // sketch that flushes its update buffer, which otherwise the first merge would pay for.
        for (Subject p : pieces) p.bytes();
        long m0 = CPU.getCurrentThreadCpuTime();
        for (int p = 1; p < parts; p++) pieces[0].merge(pieces[p]);
        long m1 = CPU.getCurrentThreadCpuTime();
        double[] merr = truth.errors(pieces[0], mid);
        double mergeUs = parts > 1 ? (m1 - m0) / 1e3 / (parts - 1) : 0;
        double mergedBound = pieces[0].bound();
        return new Cell(err[0], err[1], bytes, ups, upsWall, merr[0], mergeUs, Math.max(bound, mergedBound == mergedBound ? mergedBound : 0));
    }

    static Result run(Config c, PrintWriter progress) {
        Map<String, Map<String, List<Cell>>> cells = new LinkedHashMap<>();
        for (String s : SKETCHES) {
            cells.put(s, new LinkedHashMap<>());
            for (String in : INPUTS) cells.get(s).put(in, new ArrayList<>());
        }
        warmUp();
        int violations = 0;
        for (int seed = 1; seed <= c.seeds(); seed++) {
            for (String in : INPUTS) {
                double[] data = generate(in, c.n(), seed);
                Truth truth = Truth.of(data);
                for (String s : SKETCHES) {
                    if (s.startsWith("REQ") && in.equals("loguniform2")) continue; // floats overflow (QUANTILES.md §2.1)
                    Cell cell = measure(s, data, truth, seed, c.chunk());
                    cells.get(s).get(in).add(cell);
                    if (s.startsWith("assay") && (cell.maxErr() > cell.bound() || cell.mergedMaxErr() > QuantileSketch.DEFAULT_EPSILON)) violations++;
                }
            }
            progress.printf(Locale.ROOT, "seed %d of %d done%n", seed, c.seeds());
            progress.flush();
        }
        // Worst case: many more seeds, our sketch and KLL, streaming.
        Map<String, Map<String, List<Double>>> worst = new LinkedHashMap<>();
        Map<String, List<Double>> worstBound = new LinkedHashMap<>();
        for (String s : List.of(SKETCHES.get(0), SKETCHES.get(1))) {
            worst.put(s, new LinkedHashMap<>());
            for (String in : WORST) worst.get(s).put(in, new ArrayList<>());
        }
        for (String in : WORST) worstBound.put(in, new ArrayList<>());
        for (int seed = 1; seed <= c.worstSeeds(); seed++) {
            for (String in : WORST) {
                double[] data = generate(in, c.worstN(), 100_000L + seed);
                Truth truth = Truth.of(data);
                for (String s : worst.keySet()) {
                    Subject sub = make(s, 100_000L + seed);
                    for (double x : data) sub.update(x);
                    double e = truth.errors(sub, false)[0];
                    worst.get(s).get(in).add(e);
                    if (s.startsWith("assay")) {
                        double bound = sub.bound();
                        worstBound.get(in).add(bound);
                        if (e > bound || e > QuantileSketch.DEFAULT_EPSILON) violations++;
                    }
                }
            }
            if (seed % 25 == 0) {
                progress.printf(Locale.ROOT, "worst-case seed %d of %d done%n", seed, c.worstSeeds());
                progress.flush();
            }
        }
        return new Result(cells, worst, worstBound, violations);
    }

    private static void warmUp() {
        double[] d = generate("normal", 200_000, 0);
        Truth t = Truth.of(d);
        for (int rep = 0; rep < 3; rep++) for (String s : SKETCHES) measure(s, d, t, rep, 10_000);
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }

    static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
