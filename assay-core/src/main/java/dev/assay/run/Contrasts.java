package dev.assay.run;

import dev.assay.metric.Metric;
import dev.assay.stats.Statistics;
import dev.assay.suite.Condition;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paired differences between conditions: for each condition after the first (the reference), each
 * metric on the items that ran under both, the difference, a paired bootstrap CI (resampling items, so
 * both conditions of an item are drawn together) and, for per-item means, a paired test. Pairing removes
 * the variance of items being easy or hard: what is left is the condition's effect.
 */
final class Contrasts {
    /** One item's reduced scores under each condition. */
    private record Pair(Metric.Scored reference, Metric.Scored condition) {
    }

    private Contrasts() {
    }

    static List<String> conditions(List<Metric.Scored> scored) {
        List<String> names = new ArrayList<>();
        for (Metric.Scored s : scored) {
            String c = s.meta(Condition.KEY);
            if (c != null && !names.contains(c)) names.add(c);
        }
        return names;
    }

    /** @param order the conditions in the run's order (the first is the reference) */
    static List<Results.Contrast> of(List<Metric> metrics, List<Metric.Scored> scored, List<String> order, String group,
                                     int resamples, java.util.function.Function<String, Long> seeds) {
        List<Results.Contrast> out = new ArrayList<>();
        if (order.size() < 2) return out;
        String ref = order.getFirst();
        Map<String, Map<String, Metric.Scored>> byCondition = new LinkedHashMap<>();
        for (Metric.Scored s : scored) {
            String c = s.meta(Condition.KEY);
            if (c != null) byCondition.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(s.meta(Condition.ITEM), s);
        }
        Map<String, Metric.Scored> refs = byCondition.getOrDefault(ref, Map.of());
        for (String cond : order.subList(1, order.size())) {
            Map<String, Metric.Scored> here = byCondition.getOrDefault(cond, Map.of());
            List<Pair> pairs = new ArrayList<>();
            refs.forEach((item, a) -> {
                Metric.Scored b = here.get(item);
                if (b != null) pairs.add(new Pair(a, b));
            });
            for (Metric m : metrics) {
                long seed = seeds.apply(m.name() + "\u0000" + group + "\u0000" + ref + "\u0000" + cond);
                out.add(switch (m) {
                    case Metric.Mean mean -> means(mean, pairs, group, ref, cond, resamples, seed);
                    case Metric.Aggregate agg -> aggregate(agg, pairs, group, ref, cond, resamples, seed);
                });
            }
        }
        return out;
    }

    private static Results.Contrast means(Metric.Mean m, List<Pair> all, String group, String ref, String cond, int resamples, long seed) {
        List<double[]> pairs = new ArrayList<>();
        for (Pair p : all) {
            double a = p.reference().score(m.score()), b = p.condition().score(m.score());
            if (!Double.isNaN(a) && !Double.isNaN(b)) pairs.add(new double[]{a, b});
        }
        int n = pairs.size();
        double ma = mean(pairs, 0), mb = mean(pairs, 1);
        var ci = Statistics.bootstrap(pairs, ps -> mean(ps, 1) - mean(ps, 0), resamples, seed);
        boolean binary = n > 0 && pairs.stream().allMatch(x -> (x[0] == 0 || x[0] == 1) && (x[1] == 0 || x[1] == 1));
        String test;
        double p;
        if (binary) {
            test = "McNemar exact";
            int down = 0, up = 0;
            for (double[] x : pairs) {
                if (x[0] == 1 && x[1] == 0) down++;
                if (x[0] == 0 && x[1] == 1) up++;
            }
            int changed = down + up;
            // Under no effect each changed item is as likely to change either way.
            p = changed == 0 ? 1.0 : Math.min(1.0, 2 * BinomialDistribution.of(changed, 0.5).cumulativeProbability(Math.min(down, up)));
        } else {
            test = "paired t";
            p = pairedT(pairs);
        }
        return new Results.Contrast(group, m.name(), ref, cond, ma, mb, mb - ma, ci.ciLow(), ci.ciHigh(), n, test, p);
    }

    private static Results.Contrast aggregate(Metric.Aggregate m, List<Pair> pairs, String group, String ref, String cond,
                                              int resamples, long seed) {
        java.util.function.ToDoubleFunction<List<Pair>> diff = ps -> {
            List<Metric.Scored> a = new ArrayList<>(ps.size()), b = new ArrayList<>(ps.size());
            for (Pair p : ps) {
                a.add(p.reference());
                b.add(p.condition());
            }
            return m.fn().applyAsDouble(b) - m.fn().applyAsDouble(a);
        };
        List<Metric.Scored> a = pairs.stream().map(Pair::reference).toList();
        List<Metric.Scored> b = pairs.stream().map(Pair::condition).toList();
        double va = pairs.isEmpty() ? Double.NaN : m.fn().applyAsDouble(a);
        double vb = pairs.isEmpty() ? Double.NaN : m.fn().applyAsDouble(b);
        var ci = Statistics.bootstrap(pairs, diff, resamples, seed);
        return new Results.Contrast(group, m.name(), ref, cond, va, vb, vb - va, ci.ciLow(), ci.ciHigh(), pairs.size(), "", Double.NaN);
    }

    private static double mean(List<double[]> pairs, int side) {
        if (pairs.isEmpty()) return Double.NaN;
        double s = 0;
        for (double[] x : pairs) s += x[side];
        return s / pairs.size();
    }

    private static double pairedT(List<double[]> pairs) {
        int n = pairs.size();
        if (n < 2) return Double.NaN;
        double mean = mean(pairs, 1) - mean(pairs, 0);
        double ss = 0;
        for (double[] x : pairs) ss += (x[1] - x[0] - mean) * (x[1] - x[0] - mean);
        double se = Math.sqrt(ss / (n - 1) / n);
        if (se == 0) return mean == 0 ? 1.0 : 0.0;
        return 2 * TDistribution.of(n - 1).survivalProbability(Math.abs(mean / se));
    }
}
