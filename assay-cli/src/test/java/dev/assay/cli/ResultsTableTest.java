package dev.assay.cli;

import dev.assay.run.Results;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console table says, per metric, the n used and what was left out and why (issue 11). */
class ResultsTableTest {
    @Test
    void everyMetricRowShowsItsExclusions() {
        Map<String, Integer> excluded = new LinkedHashMap<>();
        excluded.put("no_target", 400);
        excluded.put("unparsed", 3);
        Results.MetricValue sAmb = new Results.MetricValue("s_amb[Q]", "bias", 0.298, 0.02, 0.26, 0.33, 834, "bootstrap", excluded, "signed");
        Results.MetricValue acc = new Results.MetricValue("accuracy[Q]", "acc", 0.5, 0.01, 0.48, 0.52, 3680, "wilson", Map.of(), "rate");
        // Nothing used, but something left out: still shown, so the gap is visible.
        Results.MetricValue none = new Results.MetricValue("p_female[Q]", "p", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "t",
                Map.of("unparsed", 2), "rate");
        Results.MetricValue empty = new Results.MetricValue("judge_unparsed", "j", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "t");
        Results r = new Results("run", "replay/x", List.of(new Results.SuiteResults("self-correction/bbq/q/Age", 3680, 3680, 0,
                Map.of("generative", 3680), List.of(sAmb, acc, none, empty), List.of())));
        StringWriter out = new StringWriter();
        ResultsTable.print(new PrintWriter(out, true), r);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).anyMatch(l -> l.contains("excluded") && l.contains("n"));
        assertThat(lines).anyMatch(l -> l.contains("s_amb[Q]") && l.contains(" 834 ") && l.contains("no_target 400, unparsed 3"));
        assertThat(lines).anyMatch(l -> l.contains("accuracy[Q]") && l.contains(" 3680 ") && l.contains(" — "));
        assertThat(lines).anyMatch(l -> l.contains("p_female[Q]") && l.contains("unparsed 2"));
        assertThat(lines).noneMatch(l -> l.contains("judge_unparsed"));
    }
}
