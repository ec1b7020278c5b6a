package dev.assay.suites.opinions;

import dev.assay.metric.Metric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of the paper's figures: countries by S(m, c), most similar first, each with the number of
 * questions it answered (coverage is very unbalanced, so small counts deserve suspicion).
 */
public final class CountryRanking {
    private CountryRanking() {
    }

    public record Row(String country, double similarity, int questions) {
    }

    /** S(m, c) for every country with a similarity score in the samples, most similar first. */
    public static List<Row> rank(List<Metric.Scored> samples) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Metric.Scored s : samples) {
            for (var e : s.scores().entrySet()) {
                String k = e.getKey();
                if (!k.startsWith("similarity[") || e.getValue() == null || e.getValue().isNaN()) continue;
                double[] a = acc.computeIfAbsent(k.substring("similarity[".length(), k.length() - 1), x -> new double[2]);
                a[0] += e.getValue();
                a[1]++;
            }
        }
        List<Row> rows = new ArrayList<>();
        acc.forEach((c, a) -> rows.add(new Row(c, a[0] / a[1], (int) a[1])));
        rows.sort(Comparator.comparingDouble(Row::similarity).reversed().thenComparing(Row::country));
        return rows;
    }

    /** The {@code k} most and {@code k} least similar countries, as printable lines. */
    public static List<String> table(List<Metric.Scored> samples, int k) {
        List<Row> rows = rank(samples);
        List<String> out = new ArrayList<>();
        out.add(String.format("%-4s %-32s %10s %9s", "rank", "country", "1-JSD", "questions"));
        for (int i = 0; i < rows.size(); i++) {
            if (i < k || i >= rows.size() - k) {
                Row r = rows.get(i);
                out.add(String.format("%-4d %-32s %10.4f %9d", i + 1, r.country(), r.similarity(), r.questions()));
            } else if (i == k) {
                out.add("...");
            }
        }
        return out;
    }
}
