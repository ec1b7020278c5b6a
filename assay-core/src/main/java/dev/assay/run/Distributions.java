package dev.assay.run;

import dev.assay.data.Sample;
import dev.assay.event.ModelCall;
import dev.assay.sketch.QuantileSketch;
import dev.assay.suite.Suite;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-sample numeric distributions of a run (SPEC §6), each summarised by a {@link QuantileSketch} so memory
 * does not grow with the number of samples: per suite, every score's per-sample values ({@code score/NAME}), the
 * log-prob of the answer the model chose in each score call ({@code logprob/chosen}, the largest of the
 * options'), completion tokens of each generate call ({@code tokens/completion}), and, when {@code --price}
 * names a role, each sample's cost over all its calls at that price, cached calls included
 * ({@code cost_usd/sample}). Samples are visited in dataset order, one sketch per epoch, and the epochs merged,
 * so the bytes are a pure function of the log. Model-call latencies depend on timing, so they go to usage.json
 * ({@link #latencies}), never to results.json.
 */
public final class Distributions {
    /** The quantile levels results carry, and their keys. */
    public static final double[] LEVELS = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    public static final String[] KEYS = {"p1", "p5", "p25", "p50", "p75", "p95", "p99"};
    /** Fixed so a run's sketches are bit-reproducible. */
    static final long SEED = 18;

    private Distributions() {
    }

    /** One distribution being built: per-epoch sketches (merged at the end), exact sum for the mean. */
    private static final class Acc {
        final String unit;
        final Map<Integer, QuantileSketch> perEpoch = new TreeMap<>();
        double sum;

        Acc(String unit) {
            this.unit = unit;
        }

        void add(int epoch, double x) {
            if (Double.isNaN(x) || Double.isInfinite(x)) return;
            perEpoch.computeIfAbsent(epoch, e -> new QuantileSketch(SEED)).update(x);
            sum += x;
        }
    }

    static List<Results.Distribution> of(Suite suite, List<Sample> samples, Map<String, SampleRecord> log, int epochs,
                                         Map<String, String> prices) {
        return of(suite.name(), samples.stream().map(Sample::id).toList(), log, epochs, prices);
    }

    /** The distributions of one suite, visiting {@code ids} in order (dataset order) and epochs 1..{@code epochs}. */
    static List<Results.Distribution> of(String suite, List<String> ids, Map<String, SampleRecord> log, int epochs,
                                         Map<String, String> prices) {
        Map<String, Acc> acc = new TreeMap<>();
        Map<String, double[]> parsed = new LinkedHashMap<>();
        prices.forEach((role, p) -> parsed.put(role, Usage.parsePrice(role, p)));
        for (String id : ids) {
            for (int e = 1; e <= epochs; e++) {
                SampleRecord r = log.get(SampleRecord.key(suite, id, e));
                if (r == null || !r.ok()) continue;
                int epoch = e;
                new TreeMap<>(r.scores()).forEach((k, v) -> {
                    if (v != null) acc.computeIfAbsent("score/" + k, x -> new Acc("value")).add(epoch, v);
                });
                double cost = 0;
                boolean priced = false;
                for (ModelCall c : r.modelCalls()) {
                    if (c.error() != null) continue;
                    if (ModelCall.MAIN_ROLE.equals(c.role())) {
                        if ("score".equals(c.op()) && c.response().get("logprobs") instanceof List<?> lps) {
                            double best = Double.NEGATIVE_INFINITY;
                            for (Object o : lps) if (o instanceof Number num) best = Math.max(best, num.doubleValue());
                            if (best > Double.NEGATIVE_INFINITY) acc.computeIfAbsent("logprob/chosen", x -> new Acc("nats")).add(epoch, best);
                        } else if ("generate".equals(c.op())) {
                            acc.computeIfAbsent("tokens/completion", x -> new Acc("tokens")).add(epoch, c.completionTokens());
                        }
                    }
                    double[] p = parsed.get(c.role());
                    if (p != null) {
                        cost += (c.promptTokens() * p[0] + c.completionTokens() * p[1]) / 1e6;
                        priced = true;
                    }
                }
                if (priced) acc.computeIfAbsent("cost_usd/sample", x -> new Acc("usd")).add(epoch, cost);
            }
        }
        List<Results.Distribution> out = new ArrayList<>();
        acc.forEach((name, a) -> {
            QuantileSketch merged = new QuantileSketch(SEED);
            a.perEpoch.values().forEach(merged::merge);
            if (!merged.isEmpty()) out.add(summary(suite, name, a.unit, merged, a.sum));
        });
        return out;
    }

    /** Latency of every successful model call, per role ({@code latency_ms/ROLE}); for usage.json. */
    static List<Results.Distribution> latencies(Collection<SampleRecord> records) {
        Map<String, QuantileSketch> byRole = new TreeMap<>();
        Map<String, double[]> sums = new TreeMap<>();
        for (SampleRecord r : records) {
            for (ModelCall c : r.modelCalls()) {
                if (c.error() != null || c.cached()) continue;
                byRole.computeIfAbsent(c.role(), x -> new QuantileSketch(SEED)).update(c.millis());
                sums.computeIfAbsent(c.role(), x -> new double[1])[0] += c.millis();
            }
        }
        List<Results.Distribution> out = new ArrayList<>();
        byRole.forEach((role, s) -> out.add(summary("", "latency_ms/" + role, "ms", s, sums.get(role)[0])));
        return out;
    }

    /** The results entry for a sketch: exact n/min/max, the mean from the exact sum, quantiles, bound, bytes. */
    public static Results.Distribution summary(String suite, String name, String unit, QuantileSketch s, double sum) {
        Map<String, Double> q = new LinkedHashMap<>();
        for (int i = 0; i < LEVELS.length; i++) q.put(KEYS[i], s.quantile(LEVELS[i]));
        return new Results.Distribution(suite, name, unit, s.n(), s.min(), s.max(), sum / s.n(), q, s.rankErrorBound(),
                Base64.getEncoder().encodeToString(s.toByteArray()));
    }

    /**
     * Merges the same distribution from several shards (or runs): the sketches merge, n and the mean combine
     * exactly. All parts must share suite and name.
     */
    public static Results.Distribution merge(List<Results.Distribution> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to merge");
        Results.Distribution first = parts.getFirst();
        QuantileSketch s = new QuantileSketch(SEED);
        double sum = 0;
        for (Results.Distribution d : parts) {
            if (!d.name().equals(first.name()) || !d.suite().equals(first.suite()))
                throw new IllegalArgumentException("cannot merge distribution " + d.suite() + " " + d.name() + " into " + first.suite() + " " + first.name());
            s.merge(d.decode());
            sum += d.mean() * d.n();
        }
        return summary(first.suite(), first.name(), first.unit(), s, sum);
    }
}
