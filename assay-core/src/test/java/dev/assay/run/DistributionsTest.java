package dev.assay.run;

import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Origin;
import dev.assay.sketch.QuantileSketch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistributionsTest {

    private static SampleRecord record(String id, int epoch, double score, double[] logprobs, long completionTokens) {
        List<Event> events = new ArrayList<>();
        events.add(new ModelCall("model", "answer", Origin.SOLVER, "score", "m/x", "p", Map.of(),
                Map.of("logprobs", Arrays.stream(logprobs).boxed().toList()), 0, 0, 3, false, null));
        events.add(new ModelCall("model", "explain", Origin.SOLVER, "generate", "m/x", "p", Map.of(),
                Map.of("text", "x"), 10, completionTokens, 5, false, null));
        return new SampleRecord("s", id, epoch, 7, "loglik", "t", Map.of(), events, Map.of(), Map.of("match", score), null, 1);
    }

    @Test
    void aHundredThousandSamplesGiveBoundedSketchesWhoseQuantilesAreWithinTheirBound() {
        int n = 100_000, epochs = 2;
        SplittableRandom r = new SplittableRandom(5);
        Map<String, SampleRecord> log = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        double[] scores = new double[n * epochs], chosen = new double[n * epochs];
        for (int i = 0; i < n; i++) {
            ids.add("q" + i);
            for (int e = 1; e <= epochs; e++) {
                double score = r.nextDouble() < 0.3 ? 1.0 : r.nextGaussian();
                double a = -r.nextDouble() * 3, b = -r.nextDouble() * 3;
                SampleRecord rec = record("q" + i, e, score, new double[]{a, b}, 1 + r.nextInt(200));
                log.put(rec.key(), rec);
                scores[(e - 1) * n + i] = score;
                chosen[(e - 1) * n + i] = Math.max(a, b);
            }
        }
        List<Results.Distribution> ds = Distributions.of("s", ids, log, epochs, Map.of("model", "1:2"));
        assertThat(ds).extracting(Results.Distribution::name)
                .containsExactly("cost_usd/sample", "logprob/chosen", "score/match", "tokens/completion");
        for (Results.Distribution d : ds) {
            assertThat(d.n()).isEqualTo((long) n * epochs);
            assertThat(d.sketch().length()).isLessThan(4 * 5300 / 3 + 4); // base64 of ≤ 5.3 KB
            assertThat(d.decode().serializedSizeBytes()).isLessThanOrEqualTo(5300);
            assertThat(d.rankErrorBound()).isLessThanOrEqualTo(QuantileSketch.DEFAULT_EPSILON);
        }
        check(ds.get(2), scores);
        check(ds.get(1), chosen);
        // Cost per sample: 10 prompt tokens at $1/M plus completion tokens at $2/M; tokens are 1..200, mean 100.5.
        assertThat(ds.get(0).mean()).isCloseTo((10 * 1 + 100.5 * 2) / 1e6, within(2e-6));
        assertThat(ds.get(3).min()).isEqualTo(1);
        assertThat(ds.get(3).max()).isEqualTo(200);
    }

    /** Each reported quantile's true rank (from the sorted values) is within the bound of its level. */
    private static void check(Results.Distribution d, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        assertThat(d.min()).isEqualTo(sorted[0]);
        assertThat(d.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(d.mean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-9));
        for (int i = 0; i < Distributions.LEVELS.length; i++) {
            double q = d.quantiles().get(Distributions.KEYS[i]);
            double below = countBelow(sorted, q) / (double) sorted.length, atMost = countAtMost(sorted, q) / (double) sorted.length;
            double level = Distributions.LEVELS[i];
            // q may sit on a point mass: its rank interval [below, atMost] must come within the bound of the level.
            assertThat(level).isBetween(below - d.rankErrorBound() - 1e-9, atMost + d.rankErrorBound() + 1e-9);
        }
    }

    private static int countAtMost(double[] s, double q) {
        int l = 0, h = s.length;
        while (l < h) { int m = (l + h) >>> 1; if (s[m] <= q) l = m + 1; else h = m; }
        return l;
    }

    private static int countBelow(double[] s, double q) {
        int l = 0, h = s.length;
        while (l < h) { int m = (l + h) >>> 1; if (s[m] < q) l = m + 1; else h = m; }
        return l;
    }

    @Test
    void shardsMergeToTheWholeRunsDistribution() {
        Map<String, SampleRecord> log = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 9000; i++) {
            ids.add("q" + i);
            SampleRecord rec = record("q" + i, 1, i % 10, new double[]{-1}, 5);
            log.put(rec.key(), rec);
        }
        Results.Distribution whole = Distributions.of("s", ids, log, 1, Map.of()).stream()
                .filter(d -> d.name().equals("score/match")).findFirst().orElseThrow();
        List<Results.Distribution> shards = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            shards.add(Distributions.of("s", ids.subList(k * 3000, (k + 1) * 3000), log, 1, Map.of()).stream()
                    .filter(d -> d.name().equals("score/match")).findFirst().orElseThrow());
        }
        Results.Distribution merged = Distributions.merge(shards);
        assertThat(merged.n()).isEqualTo(9000);
        assertThat(merged.mean()).isCloseTo(4.5, within(1e-12));
        // Ten equal point masses 0..9: exact quantiles, whichever way the sketch was built.
        assertThat(merged.quantiles()).isEqualTo(whole.quantiles());
        assertThat(merged.quantiles().get("p50")).isEqualTo(4.0);
        assertThat(merged.quantiles().get("p99")).isEqualTo(9.0);
    }
}
