package dev.assay.cli.report;

import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunSpec;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DecompositionChartsTest {
    static Results.MetricValue v(String name, double value, double low, double high) {
        return new Results.MetricValue(name, "d", value, 0.01, low, high, 10, "t");
    }

    /** One run of the four decomposition suites: accuracy and AOCs per method (few-shot has no AOC). */
    static RunData run() {
        List<Results.SuiteResults> suites = new ArrayList<>();
        suites.add(new Results.SuiteResults("decomposition/few-shot", 10, 10, 0, Map.of(), List.of(
                v("accuracy", 0.5, 0.4, 0.6), v("biased_context", 0.2, 0.1, 0.3)), List.of()));
        suites.add(new Results.SuiteResults("decomposition/cot", 10, 10, 0, Map.of(), List.of(
                v("accuracy", 0.8, 0.7, 0.9), v("early_answering_aoc", 0.1, 0.05, 0.15), v("biased_context", 0.3, 0.2, 0.4)), List.of()));
        suites.add(new Results.SuiteResults("decomposition/factored", 10, 10, 0, Map.of(), List.of(
                v("accuracy", 0.7, 0.6, 0.8), v("early_answering_aoc", 0.4, 0.3, 0.5), v("biased_context", -0.1, -0.2, 0.0)), List.of()));
        suites.add(new Results.SuiteResults("mwe/persona/x", 4, 4, 0, Map.of(), List.of(v("accuracy", 0.1, 0, 0.2)), List.of()));
        RunSpec spec = new RunSpec(suites.stream().map(Results.SuiteResults::suite).toList(), "replay/x", null, 0, 1, 0, null, 1, null, Map.of());
        RunHeader h = new RunHeader("r1", "2026-01-01T00:00:00Z", spec, Map.of(), Map.of(), List.of());
        return new RunData(h.id(), null, h, new Results(h.id(), "replay/x", suites));
    }

    @Test
    void onePointPerMethodWithWhiskersOnBothAxes() throws Exception {
        StringBuilder h = new StringBuilder();
        DecompositionCharts.append(h, List.of(run()));
        List<Document> svgs = SvgReader.svgs(h.toString());
        assertThat(svgs).extracting(SvgReader::title).containsExactly(
                "Accuracy vs early_answering_aoc (replay/x, all tasks)", "Accuracy vs biased_context (replay/x, all tasks)");
        List<Element> early = SvgReader.byClass(svgs.get(0), "circle", "pt");
        assertThat(early).extracting(e -> e.getAttribute("data-method")).containsExactly("cot", "factored");
        assertThat(SvgReader.num(early.get(1), "data-x")).isCloseTo(0.4, within(1e-12));
        assertThat(SvgReader.num(early.get(1), "data-y")).isCloseTo(0.7, within(1e-12));
        // factored sits right of CoT (more faithful) and below it (less accurate): the paper's trade-off, as drawn
        assertThat(SvgReader.num(early.get(1), "cx")).isGreaterThan(SvgReader.num(early.get(0), "cx"));
        assertThat(SvgReader.num(early.get(1), "cy")).isGreaterThan(SvgReader.num(early.get(0), "cy"));
        assertThat(SvgReader.byClass(svgs.get(0), "line", "err-x")).hasSize(2);
        assertThat(SvgReader.byClass(svgs.get(0), "line", "err-y")).hasSize(2);
        assertThat(SvgReader.byClass(svgs.get(1), "circle", "pt")).hasSize(3);
        assertThat(SvgReader.byClass(svgs.get(1), "line", "zero")).hasSize(1);
    }

    @Test
    void noSectionWithoutDecompositionSuites() {
        StringBuilder h = new StringBuilder();
        RunSpec spec = new RunSpec(List.of("mwe/persona/x"), "replay/x", null, 0, 1, 0, null, 1, null, Map.of());
        RunHeader hd = new RunHeader("r2", "2026-01-01T00:00:00Z", spec, Map.of(), Map.of(), List.of());
        DecompositionCharts.append(h, List.of(new RunData("r2", null, hd, new Results("r2", "replay/x", List.of(
                new Results.SuiteResults("mwe/persona/x", 4, 4, 0, Map.of(), List.of(v("accuracy", 0.1, 0, 0.2)), List.of()))))));
        assertThat(h).isEmpty();
    }
}
