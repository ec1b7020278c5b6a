package dev.assay.run;

import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.metric.Metric;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every metric's results say how many samples it used and how many it left out, and why. */
class ExclusionsTest {

    /** A suite whose metrics are declared with exclusion reasons; load/solve are never called here. */
    record Declared(List<Metric> metrics) implements Suite {
        public String name() { return "t/declared"; }
        public String description() { return ""; }
        public List<Sample> load(DataStore data, int limitPerFile) { return List.of(); }
        public Solver solver() { return null; }
        public Scorer scorer() { return null; }
        public List<String> groupBy() { return List.of("part"); }
        public Dialogue preview(Sample sample) { return null; }
        public int callsPerSample() { return 1; }
    }

    static Sample sample(String id, String part) {
        return new Sample(id, "q", List.of(), null, Map.of("part", part));
    }

    static SampleRecord ok(String id, int epoch, Map<String, Double> scores) {
        return new SampleRecord("t/declared", id, epoch, 0, "loglik", null, Map.of(), List.of(), Map.of(), scores, null, 0);
    }

    static SampleRecord failed(String id, int epoch) {
        return new SampleRecord("t/declared", id, epoch, 0, "loglik", null, Map.of(), List.of(), Map.of(), null, "HTTP 500", 0);
    }

    @Test
    void aMetricCountsWhatItUsedAndWhatItLeftOutPerReason() {
        // Six samples in two parts. "correct" exists for s1 (1), s2 (0), s3 (1); s4 was unparsed; s5 had no
        // target; s6 failed in its only epoch. So mean = 2/3 over n = 3, excluded unparsed 1, no_target 1, error 1.
        Metric.Mean accuracy = new Metric.Mean("accuracy", "", "correct")
                .excluding("unparsed", "unparsed").excluding("no_target", "no_target").scaled(Metric.Scale.RATE);
        // A difference whose n is the samples having "delta": s1 (+1), s2 (−1); s3 has no delta and no flag,
        // so it is out of the population (not excluded), s4 and s5 are excluded as above.
        Metric.Aggregate change = new Metric.Aggregate("change", "", l -> l.stream().mapToDouble(s -> s.score("delta"))
                .filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN))
                .counting("delta").excluding("unparsed", "unparsed").excluding("no_target", "no_target").scaled(Metric.Scale.SIGNED);
        Suite suite = new Declared(List.of(accuracy, change));
        List<Sample> samples = List.of(sample("s1", "a"), sample("s2", "a"), sample("s3", "a"), sample("s4", "b"),
                sample("s5", "b"), sample("s6", "b"));
        Map<String, SampleRecord> log = new HashMap<>();
        for (SampleRecord r : List.of(ok("s1", 1, Map.of("correct", 1.0, "delta", 1.0)), ok("s2", 1, Map.of("correct", 0.0, "delta", -1.0)),
                ok("s3", 1, Map.of("correct", 1.0)), ok("s4", 1, Map.of("unparsed", 1.0)), ok("s5", 1, Map.of("no_target", 1.0, "unparsed", 0.0)),
                failed("s6", 1))) {
            log.put(r.key(), r);
        }
        Results.SuiteResults res = new ResultsCalculator(1, 200).compute(suite, samples, log, 1);

        Results.MetricValue acc = res.metrics().get(0);
        assertThat(acc.value()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(acc.n()).isEqualTo(3);
        assertThat(acc.excluded()).containsExactly(Map.entry("unparsed", 1), Map.entry("no_target", 1), Map.entry("error", 1));
        assertThat(acc.scale()).isEqualTo("rate");

        Results.MetricValue ch = res.metrics().get(1);
        assertThat(ch.value()).isCloseTo(0.0, within(1e-12));
        assertThat(ch.n()).isEqualTo(2);
        assertThat(ch.excluded()).containsExactly(Map.entry("unparsed", 1), Map.entry("no_target", 1), Map.entry("error", 1));
        assertThat(ch.signed()).isTrue();

        // Per group: part b has s4, s5 scored and s6 failed; nothing of it is used.
        Results.GroupResults b = res.groups().stream().filter(g -> g.value().equals("b")).findFirst().orElseThrow();
        assertThat(b.metrics().get(0).n()).isZero();
        assertThat(b.metrics().get(0).excluded()).containsExactly(Map.entry("unparsed", 1), Map.entry("no_target", 1), Map.entry("error", 1));
        Results.GroupResults a = res.groups().stream().filter(g -> g.value().equals("a")).findFirst().orElseThrow();
        assertThat(a.metrics().get(0).excluded()).isEmpty();
    }

    @Test
    void aSampleParsedInOneEpochIsUsedNotExcluded() {
        // Two epochs of s1: unparsed in epoch 1, correct in epoch 2. The epoch mean of "correct" is 1 (NaN left
        // out), so s1 is used; its unparsed flag (mean 0.5) does not also count it as excluded.
        Metric.Mean accuracy = new Metric.Mean("accuracy", "", "correct").excluding("unparsed", "unparsed");
        Suite suite = new Declared(List.of(accuracy));
        Map<String, SampleRecord> log = new HashMap<>();
        SampleRecord e1 = ok("s1", 1, Map.of("unparsed", 1.0));
        SampleRecord e2 = ok("s1", 2, Map.of("unparsed", 0.0, "correct", 1.0));
        log.put(e1.key(), e1);
        log.put(e2.key(), e2);
        Results.MetricValue v = new ResultsCalculator(1, 200).compute(suite, List.of(sample("s1", "a")), log, 2).metrics().getFirst();
        assertThat(v.n()).isEqualTo(1);
        assertThat(v.excluded()).isEmpty();
    }

    @Test
    void resultsWrittenBeforeExclusionsExistedStillRead() throws Exception {
        String old = "{\"name\":\"m\",\"description\":\"d\",\"value\":0.5,\"stderr\":0.1,\"ciLow\":0.3,\"ciHigh\":0.7,\"n\":4,\"method\":\"t\"}";
        Results.MetricValue v = Json.MAPPER.readValue(old, Results.MetricValue.class);
        assertThat(v.n()).isEqualTo(4);
        assertThat(v.excluded()).isEmpty();
        assertThat(v.scale()).isNull();
    }
}
