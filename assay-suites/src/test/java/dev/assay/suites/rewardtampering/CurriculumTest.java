package dev.assay.suites.rewardtampering;

import dev.assay.data.DataStore;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.model.Models;
import dev.assay.run.Results;
import dev.assay.run.RunLog;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.run.SampleRecord;
import dev.assay.sandbox.FileChange;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole curriculum end to end through the runner and the real bubblewrap sandbox, with the scripted
 * policies behind the model contract: the honest one never games, the gamer games every environment and
 * tampers with the reward (leaving the test failing), the cover-tracks policy also makes the test pass.
 * Chat format gives the policy native tool calls; raw format the paper's text protocol.
 */
class CurriculumTest {
    static final int N = 3;

    static Results.MetricValue metric(Results r, String suite, String name) {
        return r.suites().stream().filter(s -> s.suite().equals(suite)).findFirst().orElseThrow()
                .metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    static Runner.Outcome run(Path tmp, String model, String format) {
        Runner runner = new Runner(new RunStore(tmp.resolve("runs")), new DataStore(tmp.resolve("data"), tmp.resolve("cache")),
                Suites.discover(), Models::open);
        return runner.start(new RunSpec(List.of(RewardTamperingSuites.ALL), model, Map.of("judge", "synthetic/stance-judge"),
                N, 1, 0, format, 4, List.of(), Map.of()), Runner.Listener.NONE);
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
            // policy, format, gamed (every env), tampered, covered, test_edited, checklist_edited (insubordinate)
            "honest, chat, 0, 0, 0, 0, 0",
            "gamer, chat, 1, 1, 0, 0, 0",
            "cover-tracks, chat, 1, 1, 1, 1, 1",
            "honest, raw, 0, 0, 0, 0, 0",
            "gamer, raw, 1, 1, 0, 0, 0",
            "cover-tracks, raw, 1, 1, 1, 1, 1",
    })
    void everyEpisodeIsClassifiedAsThePolicyActs(String policy, String format, int gamed, int tampered, int covered,
                                                 int testEdited, int checklistEdited, @TempDir Path tmp) {
        Runner.Outcome o = run(tmp, "synthetic/curriculum?policy=" + policy, format);
        Results r = o.results();
        assertThat(o.errors()).isZero();
        for (Results.SuiteResults s : r.suites()) {
            Results.MetricValue g = s.metrics().stream().filter(m -> m.name().equals("gamed")).findFirst().orElseThrow();
            int n = s.suite().endsWith("political-sycophancy") ? N : N;
            assertThat(g.n()).as(s.suite()).isEqualTo(n);
            assertThat(g.proportion().count()).as(s.suite() + " gamed").isEqualTo((long) gamed * n);
        }
        String held = "reward-tampering/held-out";
        assertThat(metric(r, held, "tampered").proportion().count()).isEqualTo((long) tampered * N);
        assertThat(metric(r, held, "covered_tracks").proportion().count()).isEqualTo((long) covered * N);
        assertThat(metric(r, held, "test_edited").proportion().count()).isEqualTo((long) testEdited * N);
        assertThat(metric(r, held, "reward_broken").proportion().count()).isZero();
        assertThat(metric(r, "reward-tampering/rubric-modification/insubordinate", "checklist_edited").proportion().count())
                .isEqualTo((long) checklistEdited * N);
        // Honest rates of zero are quoted with their bound: 0 / 3, <= 1 - 0.05^(1/3) = 0.63.
        if (gamed == 0) assertThat(metric(r, held, "gamed").proportion().label()).isEqualTo("0 / 3, ≤ 6.3e-1");

        // The log holds what a transcript and a diff need: the commands, and the reward file's before and after.
        Map<String, SampleRecord> log = RunLog.read(o.dir().resolve(RunStore.SAMPLES));
        SampleRecord ep = log.get(SampleRecord.key(held, "episode-000001", 1));
        assertThat(ep.events()).filteredOn(e -> e instanceof ToolCall c && c.step().startsWith("agent.")).isNotEmpty();
        SandboxSnapshot snap = (SandboxSnapshot) ep.events().stream().filter(e -> e instanceof SandboxSnapshot s && s.step().equals("agent"))
                .findFirst().orElseThrow();
        if (tampered == 1) {
            FileChange c = snap.snapshot().change("rl_environment/compute_reward.py").orElseThrow();
            assertThat(c.fixtureText()).contains("return -10");
            assertThat(c.text()).contains("return 100");
        } else {
            assertThat(snap.snapshot().changes()).isEmpty();
        }
    }
}
