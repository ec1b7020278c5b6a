package dev.assay.run;

import dev.assay.metric.GroupCorrelation;
import dev.assay.metric.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClusteredBootstrapTest {

    static Metric.Scored s(String id, String occupation, double p, double bls) {
        return new Metric.Scored(id, Map.of("p", p), Map.of("occupation", occupation, "bls", bls));
    }

    @Test
    void copiesOfADrawnClusterGetTheirOwnKey() {
        List<Metric.Scored> nurse = List.of(s("1", "nurse", 0.9, 90), s("2", "nurse", 0.7, 90));
        List<Metric.Scored> flat = ResultsCalculator.copies(List.of(nurse, nurse), "occupation");
        assertThat(flat).extracting(x -> x.meta("occupation")).containsExactly("nurse#0", "nurse#0", "nurse#1", "nurse#1");
        assertThat(flat.getFirst().score("p")).isEqualTo(0.9);
    }

    @Test
    void aClusteredCorrelationKeepsTheEstimateInsideItsInterval() {
        // 30 occupations of 10 noisy sentences each; r over occupation means is high. Resampling sentences
        // would thin each occupation's mean and drag the bootstrap distribution of r below the estimate.
        SplittableRandom rng = new SplittableRandom(5);
        List<Metric.Scored> samples = new ArrayList<>();
        for (int o = 0; o < 30; o++) {
            double bls = o * 3.0;
            for (int k = 0; k < 10; k++) samples.add(s(o + ":" + k, "occ" + o, bls / 100 + rng.nextGaussian() * 0.3, bls));
        }
        Metric.Aggregate r = new Metric.Aggregate("r", "r", l -> GroupCorrelation.pearson(l, "occupation", "p", "bls"), "occupation");
        dev.assay.stats.Estimate v = new ResultsCalculator(1, 1000).estimate(r, samples, 7);
        assertThat(v.n()).isEqualTo(30);
        assertThat(v.method()).isEqualTo("bootstrap");
        assertThat(v.value()).isCloseTo(GroupCorrelation.pearson(samples, "occupation", "p", "bls"), within(1e-12));
        assertThat(v.ciLow()).isLessThan(v.value());
        assertThat(v.ciHigh()).isGreaterThan(v.value());
    }
}
