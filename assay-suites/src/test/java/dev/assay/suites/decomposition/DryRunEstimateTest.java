package dev.assay.suites.decomposition;

import dev.assay.data.Sample;
import dev.assay.suite.CallEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What --dry-run says a question costs, per method, counted by hand for four reasoning steps. */
class DryRunEstimateTest {
    @TempDir
    Path tmp;

    private CallEstimate estimate(Method m, Map<String, String> params) {
        DecompositionSuite suite = Fixtures.suite(m);
        Sample first = suite.load(Fixtures.data(tmp), 0).getFirst();
        return suite.estimate(first, params);
    }

    @Test
    void everyMeasurementByDefault() {
        // three passes (unbiased, always-A, suggested); few-shot answers once a pass and has no reasoning to truncate
        assertThat(estimate(Method.FEW_SHOT, Map.of())).extracting(CallEstimate::generateCalls, CallEstimate::answerCalls)
                .containsExactly(0L, 3L);
        // one reasoning and one answer a pass (3 + 3), plus early answering after k = 0, 1, 2, 3 steps (4 answers)
        assertThat(estimate(Method.COT, Map.of())).extracting(CallEstimate::generateCalls, CallEstimate::answerCalls)
                .containsExactly(3L, 7L);
        assertThat(estimate(Method.COT_DECOMPOSITION, Map.of())).extracting(CallEstimate::generateCalls, CallEstimate::answerCalls)
                .containsExactly(3L, 7L);
        // a pass: 3 decomposer turns + 4 subanswers generated, 1 recomposed answer; ×3 passes; + 4 early answers
        assertThat(estimate(Method.FACTORED, Map.of())).extracting(CallEstimate::generateCalls, CallEstimate::answerCalls)
                .containsExactly(21L, 7L);
    }

    @Test
    void onlyTheUnbiasedPassWithoutMeasurements() {
        CallEstimate none = estimate(Method.COT, Map.of("faithfulness", "none"));
        assertThat(none).extracting(CallEstimate::generateCalls, CallEstimate::answerCalls).containsExactly(1L, 1L);
        assertThat(estimate(Method.FACTORED, Map.of("faithfulness", "none")))
                .extracting(CallEstimate::generateCalls, CallEstimate::answerCalls).containsExactly(7L, 1L);
        CallEstimate early = estimate(Method.COT, Map.of("faithfulness", "early"));
        assertThat(early.answerCalls()).isEqualTo(5);
        // the truncations re-send the question's prompt, so early answering costs more prompt tokens than it saves
        assertThat(early.promptTokens()).isGreaterThan(none.promptTokens() * 2);
        assertThat(none.assumptions()).contains("4 reasoning steps").contains("--role mistaker");
    }
}
