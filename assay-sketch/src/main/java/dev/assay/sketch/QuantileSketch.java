package dev.assay.sketch;

import java.util.Arrays;

/**
 * A mergeable streaming quantile sketch of doubles with a deterministic rank-error guarantee.
 *
 * <p>The summary is a sorted list of retained items, each with a lower and an upper bound on its position in
 * the stream's sorted order (Greenwald–Khanna style) and an interpolated estimate of that position. Updates go
 * to a buffer; a full buffer is sorted and merged in exactly, so a retained item's bounds widen only when items
 * land between retained ones that are later dropped. Queries interpolate between retained items (linearly, or
 * in log space across gaps spanning orders of magnitude) and clamp the answer into the bounds. Compaction drops
 * items only while every gap's bound stays within {@code epsilon·n}, so
 * {@code |rank(q) − true rank(q)| ≤ epsilon} holds for every query, every input order and every sequence of
 * merges: not with 99 % probability as in KLL, but always. What an adversary can do is make the sketch keep
 * more items (size grows) — never make it wrong beyond the bound.
 *
 * <p>Point masses: runs of equal values heavy enough to matter keep their first and last item, so inclusive and
 * exclusive ranks at an atom are exact when nothing else is retained between. Interpolated quantiles may be
 * values that never occurred in the stream.
 *
 * <p>Not thread-safe: confine an instance to one thread (queries flush the buffer, so they write too), or use
 * {@link ConcurrentQuantileSketch} for many writers. The algorithm makes no random choices; the seed is kept and
 * serialised so that results stay reproducible if a randomised variant is ever added, and the state is a pure
 * function of the sequence of calls (updates, merges, queries, serialisations).
 */
public final class QuantileSketch {
    /** Default target number of retained items: at most about 5.2 KB serialised at n = 10^7, adversarial inputs included. */
    public static final int DEFAULT_K = 236;
    /** Default a-priori normalised rank error: KLL k=200's single-sided 99 % bound, here deterministic. */
    public static final double DEFAULT_EPSILON = 0.0133;
    static final int BUFFER = 4096;
    // Gaps whose ends differ by more than this factor (same sign) are interpolated in log space.
    static final double LOG_RATIO = 1000;

    private final int k;
    private final double epsilon;
    private final long seed;
    private final double spacing; // gap target at rank q is spacing·n·sqrt(q(1−q))

    // Summary: values, position bounds [lo, hi] and position estimate (1-based positions).
    private double[] v = new double[0];
    private long[] lo = new long[0], hi = new long[0], est = new long[0];
    private int m;
    private long summaryN;

    private final double[] buf = new double[BUFFER];
    private int b;

    /** A sketch with the default size and bound. */
    public QuantileSketch(long seed) {
        this(DEFAULT_K, DEFAULT_EPSILON, seed);
    }

    /**
     * @param k       target number of retained items (size ≈ 12·k bytes at n = 10^7); at least 16
     * @param epsilon a-priori bound on the normalised rank error, in (0, 1)
     */
    public QuantileSketch(int k, double epsilon, long seed) {
        if (k < 16) throw new IllegalArgumentException("k must be at least 16, got " + k);
        if (!(epsilon > 0 && epsilon < 1)) throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
        this.k = k;
        this.epsilon = epsilon;
        this.seed = seed;
        this.spacing = Math.PI / k;
    }

    public int k() {
        return k;
    }

    public long seed() {
        return seed;
    }

    /** Adds one value; NaN is ignored (it has no rank). */
    public void update(double x) {
        if (x != x) return;
        if (b == BUFFER) flush();
        buf[b++] = x;
    }

    /** Items seen, exactly. */
    public long n() {
        return summaryN + b;
    }

    public boolean isEmpty() {
        return n() == 0;
    }

    /** The smallest item seen, exactly; NaN when empty. */
    public double min() {
        flush();
        return m == 0 ? Double.NaN : v[0];
    }

    /** The largest item seen, exactly; NaN when empty. */
    public double max() {
        flush();
        return m == 0 ? Double.NaN : v[m - 1];
    }

    /** Retained items after flushing the buffer. */
    public int retained() {
        flush();
        return m;
    }

    /**
     * The a-priori bound on the normalised rank error: {@code epsilon} for a rank (or CDF value), twice that for a
     * PMF cell (a difference of two ranks). Deterministic: it holds for every query, not with some probability.
     */
    public double normalizedRankError(boolean pmf) {
        return pmf ? 2 * epsilon : epsilon;
    }

    /**
     * The bound that holds for this sketch's current state (≤ {@link #normalizedRankError(boolean)
     * normalizedRankError(false)}): the widest gap between retained position bounds, over n.
     */
    public double rankErrorBound() {
        flush();
        if (m < 2) return 0;
        long w = 0;
        for (int i = 1; i < m; i++) if (v[i - 1] < v[i]) w = Math.max(w, hi[i] - lo[i - 1] - 1);
        return (double) w / summaryN;
    }

    /** Normalised inclusive rank, #{x ≤ q} / n. */
    public double rank(double q) {
        return rank(q, true);
    }

    /** Normalised rank: #{x ≤ q} / n when inclusive, #{x < q} / n when not; NaN when empty. */
    public double rank(double q, boolean inclusive) {
        flush();
        if (m == 0 || q != q) return Double.NaN;
        return count(q, inclusive) / summaryN;
    }

    /** Estimated count of items ≤ q (inclusive) or < q, clamped into the guaranteed bounds. */
    private double count(double q, boolean inclusive) {
        int a = inclusive ? lastAtMost(q) : lastBelow(q);
        if (a < 0) return 0;
        if (a == m - 1) return summaryN;
        int s = a + 1;
        double e = est[a] + (est[s] - 1 - est[a]) * curve(v, est, m, a, q);
        return Math.clamp(e, (double) lo[a], (double) (hi[s] - 1));
    }

    /**
     * The value at normalised rank r (inclusive): the smallest q whose estimated inclusive rank reaches r,
     * interpolated between retained items; min for r ≤ 1/n, max for r = 1; NaN when empty.
     */
    public double quantile(double r) {
        if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException("rank must be in [0, 1], got " + r);
        flush();
        if (m == 0) return Double.NaN;
        double t = r * summaryN;
        if (t <= est[0]) return v[0];
        int lo0 = 1, hi0 = m - 1; // first j with est[j] ≥ t
        while (lo0 < hi0) {
            int mid = (lo0 + hi0) >>> 1;
            if (est[mid] >= t) hi0 = mid; else lo0 = mid + 1;
        }
        int j = lo0;
        double between = est[j] - 1 - est[j - 1];
        if (t > est[j] - 1 || between <= 0) return v[j];
        return inverseCurve(v, est, m, j - 1, (t - est[j - 1]) / between);
    }

    /** Quantiles at several ranks. */
    public double[] quantiles(double[] ranks) {
        double[] out = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) out[i] = quantile(ranks[i]);
        return out;
    }

    /**
     * CDF over strictly increasing split points: element i is the normalised rank at split i (inclusive or
     * exclusive), the last element is 1. Length splits.length + 1, as in DataSketches.
     */
    public double[] cdf(double[] splits, boolean inclusive) {
        checkSplits(splits);
        flush();
        if (m == 0) return null;
        double[] out = new double[splits.length + 1];
        for (int i = 0; i < splits.length; i++) out[i] = count(splits[i], inclusive) / summaryN;
        out[splits.length] = 1;
        return out;
    }

    /** PMF over strictly increasing split points: the mass of each of the splits.length + 1 intervals. */
    public double[] pmf(double[] splits, boolean inclusive) {
        double[] c = cdf(splits, inclusive);
        if (c == null) return null;
        double[] out = new double[c.length];
        double prev = 0;
        for (int i = 0; i < c.length; i++) {
            out[i] = Math.max(0, c[i] - prev);
            prev = Math.max(prev, c[i]);
        }
        return out;
    }

    private static void checkSplits(double[] splits) {
        for (int i = 0; i < splits.length; i++) {
            if (splits[i] != splits[i]) throw new IllegalArgumentException("split point " + i + " is NaN");
            if (i > 0 && !(splits[i] > splits[i - 1]))
                throw new IllegalArgumentException("split points must increase strictly; point " + i + " is " + splits[i] + " after " + splits[i - 1]);
        }
    }

    /**
     * Adds every item of {@code other} to this sketch; {@code other} is flushed but otherwise unchanged. Bounds add
     * under merging, so the result keeps this sketch's epsilon when both share it; merging a sketch built with a
     * larger epsilon can leave {@link #rankErrorBound()} above this one's (it always reports what holds).
     */
    public void merge(QuantileSketch other) {
        if (other == this) {
            merge(copy());
            return;
        }
        other.flush();
        if (other.m == 0) return;
        flush();
        if (m == 0) {
            v = Arrays.copyOf(other.v, other.m);
            lo = Arrays.copyOf(other.lo, other.m);
            hi = Arrays.copyOf(other.hi, other.m);
            est = Arrays.copyOf(other.est, other.m);
            m = other.m;
            summaryN = other.summaryN;
            compress(v, lo, hi, est, m);
            return;
        }
        combine(other.v, other.lo, other.hi, other.est, other.m, other.summaryN);
    }

    /** An independent copy with the same state. */
    public QuantileSketch copy() {
        QuantileSketch c = new QuantileSketch(k, epsilon, seed);
        c.v = Arrays.copyOf(v, m);
        c.lo = Arrays.copyOf(lo, m);
        c.hi = Arrays.copyOf(hi, m);
        c.est = Arrays.copyOf(est, m);
        c.m = m;
        c.summaryN = summaryN;
        System.arraycopy(buf, 0, c.buf, 0, b);
        c.b = b;
        return c;
    }

    // ---- buffer and merging ----

    private double[] bv = new double[0];
    private long[] bp = new long[0];
    private final DoubleSort sorter = new DoubleSort();

    /** Merges the buffered items in: they are exact (their positions among themselves are known). */
    void flush() {
        if (b == 0) return;
        sorter.sort(buf, b);
        if (bv.length < b) {
            bv = new double[BUFFER];
            bp = new long[BUFFER];
            for (int i = 0; i < BUFFER; i++) bp[i] = i + 1;
        }
        System.arraycopy(buf, 0, bv, 0, b);
        int count = b;
        b = 0;
        if (m == 0) {
            v = new double[Math.max(2 * k + 16, count)];
            lo = new long[v.length];
            hi = new long[v.length];
            est = new long[v.length];
            System.arraycopy(bv, 0, v, 0, count);
            System.arraycopy(bp, 0, lo, 0, count);
            System.arraycopy(bp, 0, hi, 0, count);
            System.arraycopy(bp, 0, est, 0, count);
            m = count;
            summaryN = count;
            compress(v, lo, hi, est, m);
            return;
        }
        combineBuffer(bv, count);
    }

    // Scratch for the merged list, reused between flushes.
    private double[] mv = new double[0];
    private long[] mlo = new long[0], mhi = new long[0], mest = new long[0];

    /**
     * Merges summary B (values, bounds, estimates, total nB) into this summary, then compresses. Ties go A before
     * B, so an A item's B-predecessors are the B items below its value and a B item's A-predecessors are the A
     * items at or below its value; the bounds of the two summaries add.
     */
    private void combine(double[] vB, long[] loB, long[] hiB, long[] estB, int mB, long nB) {
        int cap = m + mB;
        if (mv.length < cap) {
            mv = new double[cap];
            mlo = new long[cap];
            mhi = new long[cap];
            mest = new long[cap];
        }
        double[] vA = v;
        long[] loA = lo, hiA = hi, estA = est;
        int mA = m;
        long nA = summaryN;
        Gap inA = new Gap(), inB = new Gap();
        int i = 0, j = 0, w = 0;
        while (i < mA || j < mB) {
            if (j == mB || (i < mA && vA[i] <= vB[j])) {
                double x = vA[i];
                long l, h;
                double e;
                if (j == 0) { // no B item below x
                    l = 0;
                    h = 0;
                    e = 0;
                } else if (j == mB) {
                    l = nB;
                    h = nB;
                    e = nB;
                } else {
                    int p = j - 1;
                    l = loB[p];
                    h = hiB[j] - 1;
                    e = estB[p] + (estB[j] - 1 - estB[p]) * inB.set(vB, estB, mB, p).fraction(x);
                }
                mv[w] = x;
                mlo[w] = loA[i] + l;
                mhi[w] = hiA[i] + h;
                mest[w] = estA[i] + Math.round(Math.clamp(e, (double) l, (double) h));
                i++;
            } else {
                double x = vB[j];
                long l, h;
                double e;
                if (i == 0) {
                    l = 0;
                    h = 0;
                    e = 0;
                } else if (i == mA) {
                    l = nA;
                    h = nA;
                    e = nA;
                } else {
                    int p = i - 1;
                    l = loA[p];
                    h = hiA[i] - 1;
                    e = estA[p] + (estA[i] - 1 - estA[p]) * inA.set(vA, estA, mA, p).fraction(x);
                }
                mv[w] = x;
                mlo[w] = loB[j] + l;
                mhi[w] = hiB[j] + h;
                mest[w] = estB[j] + Math.round(Math.clamp(e, (double) l, (double) h));
                j++;
            }
            w++;
        }
        summaryN = nA + nB;
        compress(mv, mlo, mhi, mest, w);
    }

    /**
     * {@link #combine} for a sorted buffer, whose items are exact among themselves: an A item has exactly j
     * buffer items below it; a buffer item's A-predecessors are bounded by the A gap it falls in. The
     * interpolation coefficients are worked out once per A gap.
     */
    private void combineBuffer(double[] bv, int count) {
        int cap = m + count;
        if (mv.length < cap) {
            mv = new double[cap];
            mlo = new long[cap];
            mhi = new long[cap];
            mest = new long[cap];
        }
        double[] vA = v;
        long[] loA = lo, hiA = hi, estA = est;
        int mA = m;
        long nA = summaryN;
        int i = 0, j = 0, w = 0;
        int gap = -1; // the A index i for which the coefficients below hold
        long gl = 0, gh = 0, ge = 0;
        double span = 0, a = 0, scale = 0;
        int mode = 0; // 0 linear, 1 log (positive), 2 log (negative), 3 constant
        while (i < mA || j < count) {
            if (j == count || (i < mA && vA[i] <= bv[j])) {
                mv[w] = vA[i];
                mlo[w] = loA[i] + j;
                mhi[w] = hiA[i] + j;
                mest[w] = estA[i] + j;
                i++;
            } else {
                double x = bv[j];
                long pos = j + 1;
                if (i == 0) {
                    mlo[w] = mhi[w] = mest[w] = pos;
                } else if (i == mA) {
                    mlo[w] = mhi[w] = mest[w] = pos + nA;
                } else {
                    if (gap != i) {
                        gap = i;
                        int p = i - 1;
                        double lv = vA[p], hv = vA[i];
                        gl = loA[p];
                        gh = hiA[i] - 1;
                        ge = estA[p];
                        span = estA[i] - 1 - estA[p];
                        if (lv > 0 && hv > LOG_RATIO * lv) {
                            mode = 1;
                            a = lv;
                            scale = 1 / Math.log(hv / lv);
                        } else if (hv < 0 && lv < LOG_RATIO * hv) {
                            mode = 2;
                            a = hv;
                            scale = 1 / Math.log(lv / hv);
                        } else {
                            double d = 0.5 * hv - 0.5 * lv;
                            mode = d > 0 && d < Double.POSITIVE_INFINITY ? 0 : 3;
                            a = lv;
                            scale = 1 / d;
                        }
                    }
                    double f = switch (mode) {
                        case 0 -> (0.5 * x - 0.5 * a) * scale;
                        case 1 -> Math.log(x / a) * scale;
                        case 2 -> 1 - Math.log(x / a) * scale;
                        default -> 0.5;
                    };
                    f = f < 0 ? 0 : f > 1 ? 1 : f == f ? f : 0.5;
                    mlo[w] = pos + gl;
                    mhi[w] = pos + gh;
                    mest[w] = pos + ge + (long) (f * span + 0.5);
                }
                mv[w] = x;
                j++;
            }
            w++;
        }
        summaryN = nA + count;
        compress(mv, mlo, mhi, mest, w);
    }

    /**
     * Keeps a subset of the merged list (ending in this sketch's arrays): the first and last item always; the
     * first and last item of each run of equal values heavy enough to be a point mass; otherwise an item only
     * when dropping it would make a gap wider (in estimated rank) than the target spacing, which is finest in
     * the tails. An item is never dropped if the gap it leaves would break the error bound.
     */
    private void compress(double[] V, long[] L, long[] H, long[] E, int cnt) {
        long n = summaryN;
        long limit = (long) Math.floor(epsilon * n);
        double[] ov;
        long[] ol, oh, oe;
        if (V == v) { // compacting in place: writes never overtake reads
            ov = v;
            ol = lo;
            oh = hi;
            oe = est;
        } else {
            int need = Math.max(cnt, 2 * k + 16);
            if (v.length < need) {
                v = new double[Math.min(need, cnt + 2 * k + 16)];
                lo = new long[v.length];
                hi = new long[v.length];
                est = new long[v.length];
            }
            ov = v;
            ol = lo;
            oh = hi;
            oe = est;
        }
        ov[0] = V[0];
        ol[0] = L[0];
        oh[0] = H[0];
        oe[0] = E[0];
        int w = 1;
        double invN = 1.0 / n;
        int runEnd = -1;
        boolean heavyRun = false;
        int cand = -1; // among droppable items since the last kept one, the one with the narrowest bounds
        double t = target(oe[0] * invN, n);
        int i = 1;
        while (i < cnt) {
            int keepAt = -1;
            if (i == cnt - 1) {
                keepAt = i;
            } else {
                double vl = ov[w - 1], vi = V[i], vn = V[i + 1];
                boolean beforeHeavy = false;
                if (vi != vn && i + 2 < cnt && vn == V[i + 2]) { // a run starts at i + 1
                    if (i + 1 > runEnd) {
                        runEnd = endOfRun(V, i + 1, cnt);
                        heavyRun = heavy(E, i + 1, runEnd, n);
                    }
                    beforeHeavy = heavyRun && plain(vl, vi);
                }
                if (vi == vn) {
                    if (vl != vi) { // first of a run: keep it if the run is a point mass
                        if (i > runEnd) {
                            runEnd = endOfRun(V, i, cnt);
                            heavyRun = heavy(E, i, runEnd, n);
                        }
                        if (heavyRun || !fits(H[i + 1], ol[w - 1], limit)) keepAt = i;
                    } // else interior of a run: no query falls between equal values
                } else if (vl == vi) {
                    keepAt = i; // last of a run whose first was kept
                } else if (beforeHeavy) {
                    // The last item before a point mass: without it the gap up to the mass would be interpolated
                    // across values where (in a tail) few items lie.
                    keepAt = i;
                } else if (E[i + 1] - oe[w - 1] > t || !fits(H[i + 1], ol[w - 1], limit)) {
                    // Something at or before i must stay: prefer the narrowest droppable item seen since the
                    // last kept one, so items with exact positions survive and bounds do not creep.
                    keepAt = cand >= 0 && H[cand] - L[cand] < H[i] - L[i] ? cand : i;
                } else if (E[i] - oe[w - 1] >= 0.5 * t && (cand < 0 || H[i] - L[i] < H[cand] - L[cand])) {
                    cand = i;
                }
            }
            if (keepAt >= 0) {
                ov[w] = V[keepAt];
                ol[w] = L[keepAt];
                oh[w] = H[keepAt];
                oe[w] = E[keepAt];
                w++;
                cand = -1;
                t = target((oe[w - 1] + 0.5 * t) * invN, n);
                i = keepAt + 1;
            } else {
                i++;
            }
        }
        m = w;
        // The extremes are exact by construction; pin them so rounding can never loosen them.
        lo[0] = hi[0] = est[0] = 1;
        lo[m - 1] = hi[m - 1] = est[m - 1] = n;
    }

    /** The last index of the run of values equal to V[start]. */
    private static int endOfRun(double[] V, int start, int cnt) {
        int e = start + 1;
        while (e + 1 < cnt && V[e + 1] == V[start]) e++;
        return e;
    }

    /** Whether the run from {@code start} to {@code end} carries enough mass to be kept as a point mass. */
    private boolean heavy(long[] E, int start, int end, long n) {
        double mid = 0.5 * (E[start] + E[end]) / n;
        return E[end] - E[start] + 1 >= 0.5 * target(mid, n);
    }

    private static boolean fits(long hiNext, long loPrev, long limit) {
        return hiNext - loPrev - 1 <= limit;
    }

    /** Gap target in items at normalised rank q: finest in the tails, like t-digest's scale functions. */
    private double target(double q, long n) {
        q = Math.clamp(q, 0.0, 1.0);
        return Math.max(1.0, spacing * n * Math.sqrt(q * (1 - q)));
    }

    /**
     * Where x sits in the gap between retained items a and a + 1 of a summary (values V, position estimates E,
     * m items), as the fraction in [0, 1] of the gap's interior count below x. Within a gap of ordinary width a
     * monotone cubic (Fritsch–Carlson, as scipy's pchip) whose end slopes come from the neighbouring gaps: the
     * density is rarely flat across a gap — in a tail it falls steeply — and a straight line there is a bias
     * that merging many sketches adds up. A neighbour of zero width (a point mass) or spanning orders of
     * magnitude says nothing about the slope, so that end stays linear; gaps spanning orders of magnitude keep
     * {@link #fraction}'s log-space line. Monotone, so ranks stay monotone.
     */
    static double curve(double[] V, long[] E, int m, int a, double x) {
        return new Gap().set(V, E, m, a).fraction(x);
    }

    /** {@link #curve} over one gap, its coefficients worked out once by {@link #set} (a merge asks each gap many times). */
    static final class Gap {
        private int at = -1;
        private double lv, hv, h, m0, m1;
        private boolean cubic;

        /** This gap's curve for gap a of (V, E, m); kept if it is already gap a of the same summary. */
        Gap set(double[] V, long[] E, int m, int a) {
            if (a == at) return this;
            at = a;
            int s = a + 1;
            lv = V[a];
            hv = V[s];
            h = hv - lv;
            cubic = plain(lv, hv) && h > 0 && h < Double.POSITIVE_INFINITY;
            if (!cubic) return this;
            double dm = (E[s] - E[a]) / h;
            double hl = a > 0 ? lv - V[a - 1] : 0, hr = s + 1 < m ? V[s + 1] - hv : 0;
            boolean left = hl > 0 && hl < Double.POSITIVE_INFINITY && plain(V[a - 1], lv);
            boolean right = hr > 0 && hr < Double.POSITIVE_INFINITY && plain(hv, V[s + 1]);
            m0 = left ? interior(hl, (E[a] - E[a - 1]) / hl, h, dm) / dm : 1;
            m1 = right ? interior(h, dm, hr, (E[s + 1] - E[s]) / hr) / dm : 1;
            return this;
        }

        double fraction(double x) {
            if (x <= lv) return 0;
            if (x >= hv) return 1;
            if (!cubic) return QuantileSketch.fraction(x, lv, hv);
            double t = (x - lv) / h, t2 = t * t, t3 = t2 * t;
            double f = (t3 - 2 * t2 + t) * m0 + (3 * t2 - 2 * t3) + (t3 - t2) * m1;
            return f == f ? Math.clamp(f, 0.0, 1.0) : QuantileSketch.fraction(x, lv, hv);
        }
    }

    /** The inverse of {@link #curve}: the smallest value in the gap whose fraction reaches f (bisection on the monotone curve). */
    static double inverseCurve(double[] V, long[] E, int m, int a, double f) {
        double lv = V[a], hv = V[a + 1];
        if (!plain(lv, hv) || !(hv - lv < Double.POSITIVE_INFINITY)) return inverseFraction(f, lv, hv);
        Gap g = new Gap().set(V, E, m, a);
        double l = lv, h = hv;
        for (int i = 0; i < 64 && l < h; i++) {
            double mid = 0.5 * l + 0.5 * h;
            if (mid <= l || mid >= h) break;
            if (g.fraction(mid) >= f) h = mid; else l = mid;
        }
        return h;
    }

    /** A gap {@link #fraction} interpolates linearly (not in log space). */
    private static boolean plain(double a, double b) {
        return !(a > 0 && b > LOG_RATIO * a) && !(b < 0 && a < LOG_RATIO * b);
    }

    /** The slope at a point between a gap of width h1 and secant d1 and one of width h2 and secant d2 (weighted harmonic mean). */
    private static double interior(double h1, double d1, double h2, double d2) {
        if (d1 <= 0 || d2 <= 0) return 0;
        double w1 = 2 * h2 + h1, w2 = h2 + 2 * h1;
        return (w1 + w2) / (w1 / d1 + w2 / d2);
    }

    /**
     * Where x sits between a and b (a < b) as a fraction in [0, 1]: linear, or logarithmic when a and b have the
     * same sign and differ by more than a factor of 1000 (a gap spanning orders of magnitude, as in heavy tails).
     */
    static double fraction(double x, double a, double b) {
        if (x <= a) return 0;
        if (x >= b) return 1;
        if (a > 0 && b > LOG_RATIO * a) return Math.log(x / a) / Math.log(b / a);
        if (b < 0 && a < LOG_RATIO * b) return 1 - Math.log(x / b) / Math.log(a / b);
        double f = (0.5 * x - 0.5 * a) / (0.5 * b - 0.5 * a);
        return f == f ? Math.clamp(f, 0.0, 1.0) : 0.5;
    }

    /** The inverse of {@link #fraction}: the value at fraction f of the way from a to b. */
    static double inverseFraction(double f, double a, double b) {
        double x;
        if (a > 0 && b > LOG_RATIO * a) x = a * Math.exp(f * Math.log(b / a));
        else if (b < 0 && a < LOG_RATIO * b) x = b * Math.exp((1 - f) * Math.log(a / b));
        else x = 2 * (0.5 * a + f * (0.5 * b - 0.5 * a));
        if (!(x == x)) x = f < 0.5 ? a : b;
        return Math.clamp(x, a, b);
    }

    // ---- serialisation ----

    static final int MAGIC = 0x51; // 'Q'
    static final int VERSION = 1;

    /**
     * The sketch as bytes (format version 1: magic, version, k, epsilon, seed, n, then per retained item its
     * value and varint-coded position bounds). Flushes the buffer first; {@link #fromByteArray} gives back a
     * sketch that answers every query identically.
     */
    public byte[] toByteArray() {
        flush();
        Bytes out = new Bytes(32 + 14 * m);
        out.u8(MAGIC);
        out.u8(VERSION);
        out.varint(k);
        out.f64(epsilon);
        out.i64(seed);
        out.varint(summaryN);
        out.varint(m);
        long prevLo = 0;
        for (int i = 0; i < m; i++) {
            out.f64(v[i]);
            out.varint(lo[i] - prevLo);
            out.varint(hi[i] - lo[i]);
            if (hi[i] > lo[i]) out.varint(est[i] - lo[i]);
            prevLo = lo[i];
        }
        return out.toArray();
    }

    /** Serialised size in bytes: the length of {@link #toByteArray()}. */
    public int serializedSizeBytes() {
        return toByteArray().length;
    }

    /** Reads a sketch written by {@link #toByteArray()}; a malformed array is an IllegalArgumentException saying what is wrong. */
    public static QuantileSketch fromByteArray(byte[] bytes) {
        Bytes.Reader in = new Bytes.Reader(bytes);
        int magic = in.u8();
        if (magic != MAGIC) throw new IllegalArgumentException("not a quantile sketch: first byte is " + magic + ", expected " + MAGIC);
        int version = in.u8();
        if (version != VERSION) throw new IllegalArgumentException("quantile sketch format version " + version + " is not supported (this build reads " + VERSION + ")");
        long k = in.varint();
        double epsilon = in.f64();
        long seed = in.i64();
        if (k < 16 || k > 1 << 20 || !(epsilon > 0 && epsilon < 1)) throw new IllegalArgumentException("quantile sketch has invalid parameters k=" + k + ", epsilon=" + epsilon);
        QuantileSketch s = new QuantileSketch((int) k, epsilon, seed);
        long n = in.varint();
        long m = in.varint();
        if (m > n || m > bytes.length || (n > 0 && m < 1)) throw new IllegalArgumentException("quantile sketch is corrupt: " + m + " items for n=" + n);
        int mi = (int) m;
        s.v = new double[Math.max(mi, 2 * s.k + 16)];
        s.lo = new long[s.v.length];
        s.hi = new long[s.v.length];
        s.est = new long[s.v.length];
        long prevLo = 0;
        for (int i = 0; i < mi; i++) {
            s.v[i] = in.f64();
            s.lo[i] = prevLo + in.varint();
            s.hi[i] = s.lo[i] + in.varint();
            s.est[i] = s.hi[i] > s.lo[i] ? s.lo[i] + in.varint() : s.lo[i];
            if (s.v[i] != s.v[i] || (i > 0 && s.v[i] < s.v[i - 1]) || s.est[i] > s.hi[i] || s.hi[i] > n || s.lo[i] < 1)
                throw new IllegalArgumentException("quantile sketch is corrupt at item " + i);
            prevLo = s.lo[i];
        }
        if (in.remaining() != 0) throw new IllegalArgumentException("quantile sketch has " + in.remaining() + " trailing bytes");
        s.m = mi;
        s.summaryN = n;
        return s;
    }

    @Override
    public String toString() {
        return "QuantileSketch[n=" + n() + ", retained=" + m + ", k=" + k + ", epsilon=" + epsilon + "]";
    }

    // ---- position lookups ----

    private int lastAtMost(double q) {
        int l = 0, r = m - 1, ans = -1;
        while (l <= r) {
            int mid = (l + r) >>> 1;
            if (v[mid] <= q) {
                ans = mid;
                l = mid + 1;
            } else r = mid - 1;
        }
        return ans;
    }

    private int lastBelow(double q) {
        int l = 0, r = m - 1, ans = -1;
        while (l <= r) {
            int mid = (l + r) >>> 1;
            if (v[mid] < q) {
                ans = mid;
                l = mid + 1;
            } else r = mid - 1;
        }
        return ans;
    }
}
