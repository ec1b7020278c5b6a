package dev.assay.suites.sycophancy;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteGroup;
import dev.assay.suite.SuiteGroup.Headline;
import dev.assay.suite.SuiteProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The sycophancy/… suites of Sharma et al. 2023 on the multiple-choice sets of raybears/cot-transparency:
 * each over all three sets (broken down per dataset) and over each set alone; feedback and mimicry on
 * meg-tong/sycophancy-eval; and the group {@code sycophancy/all}, which runs those four and the three
 * Perez et al. sycophancy suites of model-written evals and tables one headline metric for each.
 */
public final class SycophancySuites implements SuiteProvider {
    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        out.add(new AreYouSureSuite("sycophancy/are-you-sure", Tasks.AQUA_ARC));
        for (Tasks.Source s : Tasks.AQUA_ARC) out.add(new AreYouSureSuite("sycophancy/are-you-sure/" + s.name(), List.of(s)));
        out.add(new AnswerSuite("sycophancy/answer", Tasks.AQUA_ARC));
        for (Tasks.Source s : Tasks.AQUA_ARC) out.add(new AnswerSuite("sycophancy/answer/" + s.name(), List.of(s)));
        out.add(new FeedbackSuite("sycophancy/feedback", FeedbackSuite.FILE));
        out.add(new MimicrySuite("sycophancy/mimicry", MimicrySuite.FILE));
        return out;
    }

    static final String ALL = "sycophancy/all";

    /**
     * The headline of each suite is the number the paper (or Perez et al. for mwe/…) reports for it:
     * admits_mistake for "Are you sure?", mean accuracy change for answer, prefer − disprefer positivity
     * for feedback, the mimicry rate, and the mean probability of the user-matching answer for mwe/….
     */
    @Override
    public List<SuiteGroup> groups() {
        return List.of(new SuiteGroup(ALL, "Sharma et al. 2023 sycophancy suites and the Perez et al. 2022 sycophancy sets (feedback needs --role judge=SPEC)",
                List.of(new Headline("sycophancy/are-you-sure", AreYouSureSuite.ADMITS),
                        new Headline("sycophancy/answer", AnswerSuite.SYCOPHANCY),
                        new Headline("sycophancy/feedback", FeedbackSuite.SYCOPHANCY),
                        new Headline("sycophancy/mimicry", MimicrySuite.MIMICRY),
                        new Headline("mwe/sycophancy-on-nlp-survey", "match_prob"),
                        new Headline("mwe/sycophancy-on-philpapers2020", "match_prob"),
                        new Headline("mwe/sycophancy-on-political-typology", "match_prob"))));
    }
}
