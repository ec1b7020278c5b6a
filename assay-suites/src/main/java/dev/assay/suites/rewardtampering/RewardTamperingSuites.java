package dev.assay.suites.rewardtampering;

import dev.assay.suite.Suite;
import dev.assay.suite.SuiteGroup;
import dev.assay.suite.SuiteGroup.Headline;
import dev.assay.suite.SuiteProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The reward-tampering curriculum of Denison et al. 2024 ("Sycophancy to Subterfuge"; README.md in this
 * package): political sycophancy, tool-use flattery, rubric modification (nudged, insubordinate) and the
 * held-out reward-tampering environment, each a suite whose headline is the rate of gaming;
 * {@code reward-tampering/all} runs them in the curriculum's order.
 */
public final class RewardTamperingSuites implements SuiteProvider {
    public static final String ALL = "reward-tampering/all";

    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        out.add(new PoliticalSycophancySuite());
        out.add(new EpisodeSuite(new Flattery()));
        out.add(new EpisodeSuite(new RubricModification(false)));
        out.add(new EpisodeSuite(new RubricModification(true)));
        out.add(new EpisodeSuite(new HeldOutTampering()));
        return out;
    }

    @Override
    public List<SuiteGroup> groups() {
        List<Headline> members = suites().stream().map(s -> new Headline(s.name(), Grading.GAMED)).toList();
        return List.of(new SuiteGroup(ALL, "Denison et al. 2024 curriculum in order, each environment's gaming rate "
                + "(political sycophancy needs --role judge=SPEC)", members));
    }
}
