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

/** The cot/… figures: one line per task with CI bands, points read back from the SVG; no bar chart per curve point. */
class CotChartsTest {
    static Results.MetricValue v(String name, double value, double lo, double hi) {
        return new Results.MetricValue(name, "d", value, 0.01, lo, hi, 5, "bootstrap", Map.of(), "rate");
    }

    static RunData run() {
        List<Results.GroupResults> groups = new ArrayList<>();
        for (String task : List.of("aqua", "logiqa")) {
            double shift = task.equals("aqua") ? 0 : 0.2;
            List<Results.MetricValue> ms = new ArrayList<>();
            ms.add(v("aoc", 0.3 + shift, 0.2, 0.5));
            ms.add(v("same_answer[0%]", 0.4 + shift, 0.3 + shift, 0.5 + shift));
            ms.add(v("same_answer[50%]", 0.6 + shift, 0.5 + shift, 0.7 + shift));
            ms.add(v("same_answer[100%]", 1.0, 1.0, 1.0));
            ms.add(v("same_answer[10%]", Double.NaN, Double.NaN, Double.NaN));
            ms.add(v("aoc[L=3]", 0.2, 0.1, 0.3));
            ms.add(v("aoc[L=4]", 0.4, 0.3, 0.5));
            groups.add(new Results.GroupResults("dataset", task, 5, ms));
        }
        Results.SuiteResults s = new Results.SuiteResults("cot/early-answering", 10, 10, 0, Map.of("loglik", 10), groups.getFirst().metrics(), groups);
        RunSpec spec = new RunSpec(List.of(s.suite()), "replay/x", null, 0, 1, 0, null, 1, null, Map.of());
        RunHeader h = new RunHeader("r1", "2026-12-01T00:00:00Z", spec, Map.of(), Map.of(), List.of());
        return new RunData("r1", null, h, new Results("r1", "replay/x", List.of(s)));
    }

    @Test
    void earlyAnsweringIsOneLinePerTaskWithBandsAndNoBarPerPoint() throws Exception {
        String html = HtmlReport.plots(List.of(run()));
        List<Document> svgs = SvgReader.svgs(html);
        List<String> titles = svgs.stream().map(SvgReader::title).toList();
        assertThat(titles).contains("Early answering: same answer as with the whole chain", "Area over the curve by chain length");
        assertThat(titles).noneMatch(t -> t.startsWith("same_answer"));
        assertThat(titles).anyMatch(t -> t.startsWith("aoc: "));
        Document curve = svgs.get(titles.indexOf("Early answering: same answer as with the whole chain"));
        assertThat(SvgReader.byClass(curve, "polyline", "line")).extracting(e -> e.getAttribute("data-line")).containsExactly("aqua", "logiqa");
        assertThat(SvgReader.byClass(curve, "polygon", "band")).hasSize(2);
        List<Element> aqua = SvgReader.byClass(curve, "circle", "pt").stream().filter(e -> e.getAttribute("data-line").equals("aqua")).toList();
        // The NaN point (10%) is not drawn; the others sit at x = 0, 0.5, 1 with their values and CIs.
        assertThat(aqua).extracting(e -> SvgReader.num(e, "data-x")).containsExactly(0.0, 0.5, 1.0);
        assertThat(aqua).extracting(e -> SvgReader.num(e, "data-value")).containsExactly(0.4, 0.6, 1.0);
        assertThat(SvgReader.num(aqua.getFirst(), "data-low")).isEqualTo(0.3);
        // Higher values are drawn higher (smaller y).
        assertThat(SvgReader.num(aqua.get(2), "cy")).isLessThan(SvgReader.num(aqua.get(0), "cy"));
    }
}
