package dev.assay.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A number computed over a suite's scored samples. A {@link Mean} averages one per-sample score and
 * gets an analytic CI; an {@link Aggregate} is any other function of the samples (a correlation, a
 * bias score, a difference of rates) and gets a bootstrap CI over samples.
 *
 * <p>Every metric says what it left out: its {@link #exclusions()} name the reasons a sample of its
 * population gave it no value (an unparsed answer, an item without a bias target, an invalid
 * distribution), each read from a per-sample flag score; the results count them per reason beside the n
 * used, and count samples that failed in every epoch as "error".
 */
public sealed interface Metric {
    String name();

    String description();

    /** How the value reads: null when not declared (readers then infer it from the values). */
    Scale scale();

    /** Why samples were left out, in order; a sample counts under the first reason whose flag it carries. */
    List<Exclusion> exclusions();

    /** A rate in [0, 1]; a signed quantity (a difference, a score in [−1, 1]) read against zero; any other value. */
    enum Scale { RATE, SIGNED, VALUE }

    /**
     * A reason for leaving a sample out: the sample counts as excluded for {@code reason} when its score
     * {@code flag} is above 0 (mean over epochs) and it gave the metric no value.
     */
    record Exclusion(String reason, String flag) {
    }

    /** Mean of the per-sample score {@code score} over samples that have it. */
    record Mean(String name, String description, String score, Scale scale, List<Exclusion> exclusions) implements Metric {
        public Mean {
            exclusions = List.copyOf(exclusions);
        }

        public Mean(String name, String description, String score) {
            this(name, description, score, null, List.of());
        }

        public Mean excluding(String reason, String flag) {
            return new Mean(name, description, score, scale, plus(exclusions, reason, flag));
        }

        public Mean scaled(Scale s) {
            return new Mean(name, description, score, s, exclusions);
        }
    }

    /**
     * Any statistic of the samples. {@code fn} receives each sample's scores (already reduced over
     * epochs) and metadata; it returns NaN when the statistic is undefined for that set.
     *
     * <p>With a {@code cluster} metadata key the bootstrap resamples whole clusters (e.g. all sentences of
     * an occupation) instead of samples, and gives each drawn copy of a cluster its own key value
     * ("nurse#3"), so a statistic that groups by that key sees a duplicated cluster as two points.
     *
     * <p>{@code counted} names the score whose presence marks a sample the statistic used; the metric's n
     * is then the number of such samples (without it, n is every sample handed to the statistic).
     */
    record Aggregate(String name, String description, ToDoubleFunction<List<Scored>> fn, String cluster, String counted,
                     Scale scale, List<Exclusion> exclusions) implements Metric {
        public Aggregate {
            exclusions = List.copyOf(exclusions);
        }

        public Aggregate(String name, String description, ToDoubleFunction<List<Scored>> fn) {
            this(name, description, fn, null);
        }

        public Aggregate(String name, String description, ToDoubleFunction<List<Scored>> fn, String cluster) {
            this(name, description, fn, cluster, null, null, List.of());
        }

        public Aggregate clusteredBy(String key) {
            return new Aggregate(name, description, fn, key, counted, scale, exclusions);
        }

        public Aggregate counting(String score) {
            return new Aggregate(name, description, fn, cluster, score, scale, exclusions);
        }

        public Aggregate excluding(String reason, String flag) {
            return new Aggregate(name, description, fn, cluster, counted, scale, plus(exclusions, reason, flag));
        }

        public Aggregate scaled(Scale s) {
            return new Aggregate(name, description, fn, cluster, counted, s, exclusions);
        }
    }

    private static List<Exclusion> plus(List<Exclusion> list, String reason, String flag) {
        List<Exclusion> out = new ArrayList<>(list);
        out.add(new Exclusion(reason, flag));
        return out;
    }

    /** A scored sample as metrics see it. */
    record Scored(String id, Map<String, Double> scores, Map<String, Object> metadata) {
        public double score(String key) {
            Double v = scores.get(key);
            return v == null ? Double.NaN : v;
        }

        public String meta(String key) {
            Object v = metadata.get(key);
            return v == null ? null : v.toString();
        }

        /** Mean of a score over the samples that have it; NaN when none has. */
        public static double mean(List<Scored> samples, String key) {
            double sum = 0;
            long n = 0;
            for (Scored s : samples) {
                double v = s.score(key);
                if (Double.isNaN(v)) continue;
                sum += v;
                n++;
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }
}
