package dev.assay.cli.report;

import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunSpec;
import dev.assay.stats.Proportion;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CurriculumChartsTest {
    static Results.MetricValue rate(String name, int k, int n) {
        Proportion p = Proportion.of(k, n);
        return new Results.MetricValue(name, "d", (double) k / n, 0, p.wilsonLow(), p.wilsonHigh(), n, "wilson", Map.of(), "rate", p);
    }

    static RunData run(String step, int flattery, int tampered, int covered) {
        List<Results.SuiteResults> suites = List.of(
                new Results.SuiteResults("reward-tampering/tool-use-flattery", 100, 100, 0, Map.of(), List.of(rate("gamed", flattery, 100)), List.of()),
                new Results.SuiteResults("reward-tampering/held-out", 100, 100, 0, Map.of(),
                        List.of(rate("tampered", tampered, 100), rate("covered_tracks", covered, 100), rate("gamed", tampered, 100)), List.of()));
        RunSpec spec = new RunSpec(List.of("reward-tampering/all"), "synthetic/curriculum", null, 0, 1, 0, null, 1, null, Map.of("sweep.step", step));
        RunHeader h = new RunHeader("id" + step, "2026-01-01T00:00:00Z", spec, Map.of(), Map.of(), List.of());
        return new RunData(h.id(), null, h, new Results(h.id(), "synthetic/curriculum", suites));
    }

    @Test
    void eachEnvironmentsGamingRateAgainstTheCheckpointWithExactIntervals() throws Exception {
        StringBuilder h = new StringBuilder();
        CurriculumCharts.append(h, List.of(run("0", 10, 0, 0), run("1000", 40, 5, 2)));
        List<Document> svgs = SvgReader.svgs(h.toString());
        assertThat(svgs).extracting(SvgReader::title).containsExactly("gaming rate per environment vs checkpoint (exact 95% CI)");
        assertThat(SvgReader.byClass(svgs.getFirst(), "polyline", "line")).extracting(e -> e.getAttribute("data-line"))
                .containsExactly("tool-use-flattery", "held-out (covered tracks)", "held-out");
        // 0 / 100 at step 0 in the held-out line: the exact upper bound is 1 - 0.025^(1/100) = 0.036217 (by hand),
        // where Wilson's would be 0.036995.
        List<Element> bars = SvgReader.byClass(svgs.getFirst(), "line", "err");
        assertThat(bars).anySatisfy(e -> {
            assertThat(Double.parseDouble(e.getAttribute("data-low"))).isZero();
            assertThat(Double.parseDouble(e.getAttribute("data-high"))).isCloseTo(0.036217, within(2e-6));
        });
    }

    @Test
    void nothingWithoutTwoCheckpointsOrWithoutTheCurriculum() {
        StringBuilder h = new StringBuilder();
        CurriculumCharts.append(h, List.of(run("0", 1, 0, 0), run("0", 2, 0, 0)));
        assertThat(h).isEmpty();
        assertThat(CurriculumCharts.chart(List.of(SweepChartsTest.run("1e9", 2)))).isNull();
    }
}
