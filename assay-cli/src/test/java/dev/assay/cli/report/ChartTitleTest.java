package dev.assay.cli.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 21 items 9-10: chart titles and labels fit, and what was shortened is a tooltip away. */
class ChartTitleTest {
    @Test
    void aLongTitleIsShortenedInTheMiddleWithTheWholeTitleAsTooltip() {
        String title = "mean P(matching answer) by dataset — replay/" + "very/long/path/".repeat(10) + "answers.jsonl";
        String svg = new Svg(960, 100, "t").title(960, title, 16).end();
        // (960 − 20) / (16 × 0.58) = 101 characters fit.
        String shown = svg.replaceAll("(?s).*<text[^>]*class=\"chart-title\"><title>[^<]*</title>([^<]*)</text>.*", "$1");
        assertThat(shown).hasSizeLessThanOrEqualTo(101).startsWith("mean P(matching answer)").endsWith("answers.jsonl").contains("…");
        assertThat(svg).contains("<title>" + title.replace("—", "—") + "</title>");
        // A short title is drawn as it is, without a tooltip.
        assertThat(new Svg(960, 100, "t").title(960, "match_top by dataset", 16).end()).contains(">match_top by dataset</text>")
                .doesNotContain("<title>match_top");
    }

    @Test
    void intervalNoteNamesOnlyTheMethodsUsed() throws Exception {
        var wilsonOnly = new dev.assay.run.Results("r", "m", java.util.List.of(new dev.assay.run.Results.SuiteResults("s", 2, 2, 0, java.util.Map.of(),
                java.util.List.of(new dev.assay.run.Results.MetricValue("acc", "", 0.5, 0.3, 0.1, 0.9, 2, "wilson")), java.util.List.of())));
        var data = new RunData("r", java.nio.file.Path.of("."), null, wilsonOnly);
        assertThat(HtmlReport.intervalMethods(java.util.List.of(data))).isEqualTo("Wilson's score interval for proportions (0/1 scores)");
    }
}
