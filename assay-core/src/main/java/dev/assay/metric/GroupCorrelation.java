package dev.assay.metric;

import dev.assay.stats.Statistics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pearson's r, across groups of samples, between each group's mean score and a per-group reference
 * value carried in the samples' metadata — e.g. across occupations, mean P(female pronoun) against the
 * BLS share of women (Winogender, Winogenerated). Samples without the score are left out.
 */
public final class GroupCorrelation {
    private GroupCorrelation() {
    }

    public static double pearson(List<Metric.Scored> samples, String groupKey, String scoreKey, String referenceKey) {
        Map<String, double[]> byGroup = new LinkedHashMap<>(); // sum, n, reference
        for (Metric.Scored s : samples) {
            double v = s.score(scoreKey);
            if (Double.isNaN(v)) continue;
            double[] acc = byGroup.computeIfAbsent(s.meta(groupKey), k -> new double[]{0, 0, Double.parseDouble(s.meta(referenceKey))});
            acc[0] += v;
            acc[1]++;
        }
        double[] x = new double[byGroup.size()];
        double[] y = new double[byGroup.size()];
        int i = 0;
        for (double[] acc : byGroup.values()) {
            x[i] = acc[0] / acc[1];
            y[i++] = acc[2];
        }
        return Statistics.pearson(x, y);
    }
}
