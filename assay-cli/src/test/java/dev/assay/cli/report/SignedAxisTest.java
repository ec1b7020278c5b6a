package dev.assay.cli.report;

import dev.assay.run.Results;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 11: a signed metric (a difference) is drawn about a marked zero, never on a 0–1 axis with a 50% line. */
class SignedAxisTest {
    static final double LEFT = 260;
    static final double PLOT = 630;

    static Results.MetricValue v(double value, double lo, double hi, String scale) {
        return new Results.MetricValue("accuracy_change", "final minus first accuracy", value, 0.1, lo, hi, 20, "t", Map.of(), scale);
    }

    static BarChart.Row row(String label, Results.MetricValue v) {
        return new BarChart.Row(label, List.of(v));
    }

    /**
     * +0.3 [0.1, 0.5] and −0.2 [−0.4, 0.0]. The axis is symmetric: the largest |estimate or CI end| is 0.5,
     * widened by 10% to 0.55, so −0.55…+0.55 over 630 px and zero at 260 + 315 = 575. The first bar runs
     * from 575 to 575 + 0.3/1.1 · 630 = 746.82; the second from 575 − 0.2/1.1 · 630 = 460.45 to 575.
     */
    @Test
    void barsGrowBothWaysFromAMarkedZero() throws Exception {
        MetricDisplay d = MetricDisplay.of(v(0.3, 0.1, 0.5, "signed"));
        assertThat(d.signed()).isTrue();
        String svg = BarChart.render("change", d, List.of("run"), List.of(row("up", v(0.3, 0.1, 0.5, "signed")), row("down", v(-0.2, -0.4, 0.0, "signed"))));
        Document doc = SvgReader.svgs(svg).getFirst();
        List<Element> bars = SvgReader.byClass(doc, "rect", "bar");
        assertThat(num(bars.get(0), "x")).isCloseTo(575, within(0.01));
        assertThat(num(bars.get(0), "width")).isCloseTo(0.3 / 1.1 * PLOT, within(0.01));
        assertThat(num(bars.get(1), "x")).isCloseTo(575 - 0.2 / 1.1 * PLOT, within(0.01));
        assertThat(num(bars.get(1), "width")).isCloseTo(0.2 / 1.1 * PLOT, within(0.01));
        List<Element> zero = SvgReader.byClass(doc, "line", "zero");
        assertThat(zero).hasSize(1);
        assertThat(num(zero.getFirst(), "x1")).isCloseTo(575, within(0.01));
        assertThat(svg).doesNotContain("stroke-dasharray");
        assertThat(SvgReader.texts(doc)).contains("+0.300", "-0.200");
    }

    /**
     * All-positive differences were drawn on a 0–1 axis with a dashed 50% line, as if a rate. Now, with +0.2
     * [0.05, 0.35]: axis ±0.385, zero in the middle (575), and no 50% line.
     */
    @Test
    void aPositiveDifferenceIsNotDrawnAsARate() throws Exception {
        MetricDisplay d = MetricDisplay.of(v(0.2, 0.05, 0.35, "signed"));
        Document doc = SvgReader.svgs(BarChart.render("change", d, List.of("run"), List.of(row("a", v(0.2, 0.05, 0.35, "signed"))))).getFirst();
        assertThat(num(SvgReader.byClass(doc, "rect", "bar").getFirst(), "x")).isCloseTo(575, within(0.01));
        assertThat(num(SvgReader.byClass(doc, "rect", "bar").getFirst(), "width")).isCloseTo(0.2 / 0.385 * (PLOT / 2), within(0.01));
        assertThat(SvgReader.byClass(doc, "line", "zero")).hasSize(1);
        // A rate keeps its 0–100% axis and 50% line.
        Results.MetricValue rate = new Results.MetricValue("match_top", "", 0.7, 0.1, 0.5, 0.85, 20, "wilson", Map.of(), "rate");
        String rateSvg = BarChart.render("rate", MetricDisplay.of(rate), List.of("run"), List.of(row("a", rate)));
        assertThat(rateSvg).contains("stroke-dasharray").doesNotContain("class=\"zero\"");
    }

    /** Results written before metrics declared a scale: a name saying "change" is read as signed. */
    @Test
    void oldResultsNamedAsDifferencesAreSigned() {
        assertThat(MetricDisplay.of(new Results.MetricValue("accuracy_change", "", 0.1, 0, 0, 0, 3, "t")).signed()).isTrue();
        assertThat(MetricDisplay.of(new Results.MetricValue("accuracy", "", 0.1, 0, 0, 0, 3, "t")).signed()).isFalse();
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }
}
