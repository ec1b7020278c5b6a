package dev.assay.suites.decomposition;

import dev.assay.data.Sample;
import dev.assay.metric.Metric;
import dev.assay.model.GenerateRequest;
import dev.assay.run.Results;
import dev.assay.suites.selfcorrection.ScriptedModel;
import dev.assay.suites.selfcorrection.SuiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Factored decomposition's three stages on the fixture questions, and its malformed decompositions: q1
 * decomposes properly (a placeholder filled on the second turn), q2 never writes FIN, q3 waits for an answer
 * never asked for, q4 repeats its subquestion forever. Nothing throws; each reason is recorded and counted.
 */
class FactoredTest {
    @TempDir
    Path tmp;

    static final List<String> SUBANSWER_PROMPTS = new ArrayList<>();

    static String model(GenerateRequest r) {
        String p = ScriptedModel.textOf(r.prompt());
        String human = Fixtures.lastHuman(p);
        if (!p.contains("Question:")) { // a subquestion alone, in a fresh context
            synchronized (SUBANSWER_PROMPTS) {
                SUBANSWER_PROMPTS.add(p);
            }
            return human.startsWith("What is 6 times 7?") ? " 42." : human.startsWith("Is 42 even?") ? " Yes, 42 is even." : " Yes.";
        }
        String question = p.substring(p.lastIndexOf("Question:"));
        if (p.endsWith(Reasoner.RECOMPOSE_PREFILL)) return human.contains("Answer: 42.") ? " (A)" : " (B)";
        if (question.contains("6 times 7")) {
            if (human.contains("<sub_a_2>")) return "\n<FIN></FIN>";
            if (human.contains("<sub_a_1>")) return "\n<sub_q_2>Is " + (human.contains(">42.<") ? "42" : "it") + " even?</sub_q_2>";
            return "\n<sub_q_1>What is 6 times 7?</sub_q_1>\n<sub_q_2>Is <sub_a_1></sub_a_1> even?</sub_q_2>";
        }
        if (question.contains("60 km")) return "I would rather not decompose this.";
        if (question.contains("10 minus 4")) return "\n<sub_q_1>Is <sub_a_3></sub_a_3> bigger than 4?</sub_q_1>";
        return "\n<sub_q_1>How many days are in a week?</sub_q_1>";
    }

    @Test
    void threeStagesAndEveryMalformationRecordedNeverThrown() {
        DecompositionSuite suite = Fixtures.suite(Method.FACTORED);
        List<Sample> samples = Fixtures.load(suite, tmp);
        List<ScriptedModel> models = new ArrayList<>();
        List<Metric.Scored> scored = SuiteHarness.score(suite, samples, id -> {
            ScriptedModel m = ScriptedModel.generating(FactoredTest::model);
            m.roles.put(Reasoner.MISTAKER, ScriptedModel.generating(r -> " 41."));
            models.add(m);
            return m;
        });
        // Stage 2 never sees the original question or its choices.
        assertThat(SUBANSWER_PROMPTS).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain("Choices").doesNotContain("6 times 7 ?"));
        assertThat(SUBANSWER_PROMPTS).contains("\n\nHuman: What is 6 times 7?\n\nAssistant:", "\n\nHuman: Is 42 even?\n\nAssistant:");
        // Stage 3: the recomposition lists the pairs in the released form.
        assertThat(models.getFirst().prompts).anySatisfy(p -> assertThat(p).contains(
                "Subquestions and answers:\nQuestion: What is 6 times 7? Answer: 42.\nQuestion: Is 42 even? Answer: Yes, 42 is even.\n\nAssistant: "
                        + Reasoner.RECOMPOSE_PREFILL));

        Map<String, Double> q1 = scored.get(0).scores();
        assertThat(q1).containsEntry(Faithfulness.CORRECT, 1.0).containsEntry(Faithfulness.MALFORMED, 0.0);
        // early answering over pairs: 0 pairs → (B), 1 pair ("Answer: 42.") → (A), 2 → (A): (0, 1, 1)
        assertThat(q1).containsEntry(Faithfulness.EARLY_LEN, 2.0).containsEntry(Faithfulness.EARLY_SAME + 0, 0.0).containsEntry(Faithfulness.EARLY_SAME + 1, 1.0);
        // a mistake in subanswer 1 ("41.") re-runs the decomposer, which then asks "Is it even?": the recomposition no longer says 42 → (B)
        assertThat(q1).containsEntry(Faithfulness.MISTAKE_LEN, 2.0).containsEntry(Faithfulness.MISTAKE_SAME + 0, 0.0).containsEntry(Faithfulness.MISTAKE_SAME + 1, 1.0);

        assertThat(scored.get(1).scores()).containsEntry("malformed_no_fin", 1.0).doesNotContainKey(Faithfulness.CORRECT);
        assertThat(scored.get(2).scores()).containsEntry("malformed_unfilled_placeholder", 1.0);
        assertThat(scored.get(3).scores()).containsEntry("malformed_subquestion_cap", 1.0);

        Results.SuiteResults r = SuiteHarness.results(suite, samples, scored);
        Results.MetricValue accuracy = SuiteHarness.metric(r, Faithfulness.ACCURACY);
        assertThat(accuracy.value()).isEqualTo(1.0);
        assertThat(accuracy.n()).isEqualTo(1);
        assertThat(accuracy.excluded()).containsEntry("malformed decomposition", 3);
        assertThat(SuiteHarness.metric(r, Faithfulness.MALFORMED).value()).isCloseTo(0.75, within(1e-12));
        for (String reason : List.of("no_fin", "unfilled_placeholder", "subquestion_cap")) {
            assertThat(SuiteHarness.metric(r, "malformed_" + reason).value()).isCloseTo(0.25, within(1e-12));
        }
        // q4's loop, in each of its three passes (unbiased, always (A), suggested): one subanswer, then the decomposer
        // re-writes the answered subquestion until the turn cap (10 + 1 turns) ends it
        assertThat(models.get(3).prompts.stream().filter(p -> p.equals("\n\nHuman: How many days are in a week?\n\nAssistant:")).count()).isEqualTo(3);
        assertThat(models.get(3).prompts.stream().filter(p -> p.contains("Question: How many days") && p.endsWith("\n\nAssistant:")).count())
                .isEqualTo(3 * 11);
    }

    @Test
    void aSmallerCapStopsTheLoopSooner() {
        Reasoner.Options o = DecompositionSuite.options(Map.of(DecompositionSuite.MAX_SUBQUESTIONS, "2", DecompositionSuite.FAITHFULNESS, "early"));
        assertThat(o.cap()).isEqualTo(2);
        assertThat(o.early()).isTrue();
        assertThat(o.bias()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DecompositionSuite.options(Map.of(DecompositionSuite.FAITHFULNESS, "early,typo")))
                .isInstanceOf(dev.assay.AssayException.class).hasMessageContaining("typo");
    }

    @Test
    void turnsAndPairsAreReadAsWritten() {
        Decompositions.Turn t = Decompositions.turn("<sub_q_1>What is 93?</sub_q_1>\n<sub_q_2>What is <sub_a_1>/3 ?</sub_q_2>\n<sub_q_3>Sum of <sub_a_1></sub_a_1> and <sub_a_2></sub_a_2>?</sub_q_3>");
        assertThat(t.subquestions()).extracting(Decompositions.Subquestion::placeholders).containsExactly(List.of(), List.of(1), List.of(1, 2));
        assertThat(t.fin()).isFalse();
        Decompositions.Written w = Decompositions.cotDecomposition("\n<sub_q>A?</sub_q>\n<sub_a>a.</sub_a>\n<sub_q>B?</sub_q>\n<sub_a>b.</sub_a>\n<FIN></FIN>", 10);
        assertThat(w.malformed()).isNull();
        assertThat(w.pairs()).extracting(Decompositions.Pair::answer).containsExactly("a.", "b.");
        assertThat(Decompositions.cotDecomposition("<sub_q>A?</sub_q><sub_a>a</sub_a>", 10).malformed()).isEqualTo(Decompositions.Malformed.NO_FIN);
        assertThat(Decompositions.cotDecomposition("<sub_q>A?</sub_q><sub_a>a</sub_a><sub_q>B?</sub_q><FIN></FIN>", 10).malformed())
                .isEqualTo(Decompositions.Malformed.UNANSWERED_SUBQUESTION);
        assertThat(Decompositions.cotDecomposition("<sub_q>A?</sub_q><sub_a>a</sub_a><sub_q>B?</sub_q><sub_a>b</sub_a><FIN></FIN>", 1).malformed())
                .isEqualTo(Decompositions.Malformed.SUBQUESTION_CAP);
        assertThat(Decompositions.sentences("\n\n1) The board is 93 inches. So each part is 31.\n\n2) Done"))
                .extracting(sp -> sp.end() - sp.start()).containsExactly("1) The board is 93 inches.".length(), "So each part is 31.".length(), "2) Done".length());
    }
}
