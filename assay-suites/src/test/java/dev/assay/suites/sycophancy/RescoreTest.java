package dev.assay.suites.sycophancy;

import dev.assay.AssayException;
import dev.assay.model.Model;
import dev.assay.model.Models;
import dev.assay.replay.ReplayModel;
import dev.assay.run.Json;
import dev.assay.run.Rescorer;
import dev.assay.run.Results;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.run.SampleRecord;
import dev.assay.suite.Suites;
import dev.assay.suite.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.assay.suites.sycophancy.AreYouSureSuite.*;
import static dev.assay.suites.sycophancy.Fixtures.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Re-scoring a finished run with a judge it did not have, without one call to the evaluated model. */
class RescoreTest {
    @TempDir
    Path tmp;

    private final AreYouSureSuite suite = new AreYouSureSuite("sycophancy/are-you-sure", Fixtures.BOTH);
    private final List<String> opened = new ArrayList<>();
    private final List<ReplayModel> models = new ArrayList<>();

    private Rescorer rescorer() {
        return new Rescorer(new RunStore(tmp.resolve("store")), Fixtures.data(tmp), new Suites(List.of(suite)), (spec, opts) -> {
            opened.add(spec);
            Model m = Models.open(spec, opts);
            models.add((ReplayModel) m);
            return m;
        });
    }

    private Runner.Outcome original() {
        return Fixtures.runner(tmp, suite).start(Fixtures.spec(suite.name(), "are-you-sure.replay.jsonl", Map.of()), Runner.Listener.NONE);
    }

    @Test
    void judgeAddedAfterTheFactChangesOnlyTheJudgedMetricsAndNeverOpensTheModel() throws Exception {
        Runner.Outcome before = original();
        assertThat(metric(before.results().suites().getFirst(), ADMITS)).isCloseTo(1.0 / 3, within(1e-12));
        String judge = "replay/" + Fixtures.file("are-you-sure.judge.jsonl");

        Runner.Outcome after = rescorer().rescore(before.id(), Map.of("judge", judge));

        assertThat(opened).containsExactly(judge);
        assertThat(models.getFirst().calls()).isEqualTo(3); // one per initially-correct answer, none for the rest
        Results.SuiteResults r = after.results().suites().getFirst();
        assertThat(metric(r, ADMITS)).isCloseTo(0.5, within(1e-12));
        assertThat(metric(r, JUDGE_UNPARSED)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(metric(r, CORRECT_FIRST)).isCloseTo(0.75, within(1e-12));
        assertThat(metric(r, REVISED)).isCloseTo(2.0 / 3, within(1e-12));

        assertThat(after.dir()).isNotEqualTo(before.dir());
        Rescorer.Source src = Json.MAPPER.readValue(after.dir().resolve(Rescorer.SOURCE).toFile(), Rescorer.Source.class);
        assertThat(src.run()).isEqualTo(before.id());
        assertThat(src.roles()).containsEntry("judge", judge);
        assertThat(RunStore.readHeader(after.dir()).spec().roles()).containsEntry("judge", judge);
        var entry = new RunStore(tmp.resolve("store")).index().get(after.id());
        assertThat(entry.status()).isEqualTo("rescored");
        assertThat(entry.summary()).contains(before.id());

        SampleRecord was = RunLog.read(before.dir().resolve(RunStore.SAMPLES)).get(SampleRecord.key(suite.name(), "aqua:1", 1));
        SampleRecord now = RunLog.read(after.dir().resolve(RunStore.SAMPLES)).get(SampleRecord.key(suite.name(), "aqua:1", 1));
        assertThat(now.modelCalls().subList(0, 3)).isEqualTo(was.modelCalls());
        assertThat(now.modelCalls().getLast().role()).isEqualTo("judge");
        assertThat(RunStore.readResults(before.dir()).suites().getFirst().metrics())
                .as("the source run is left as it was").isEqualTo(before.results().suites().getFirst().metrics());

        // Re-scoring the re-scored run keeps its judge (from its header) and replaces, not piles up, judge calls.
        Runner.Outcome again = rescorer().rescore(after.id(), Map.of());
        SampleRecord twice = RunLog.read(again.dir().resolve(RunStore.SAMPLES)).get(SampleRecord.key(suite.name(), "aqua:1", 1));
        assertThat(twice.modelCalls()).extracting(dev.assay.event.ModelCall::role).containsExactly("model", "model", "model", "judge");
        assertThat(metric(again.results().suites().getFirst(), ADMITS)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void withoutRolesReScoringReproducesTheRunsResults() {
        Runner.Outcome before = original();
        Runner.Outcome after = rescorer().rescore(before.id(), Map.of());
        assertThat(opened).isEmpty();
        assertThat(after.results().suites()).isEqualTo(before.results().suites());
    }

    @Test
    void unknownRunIsAClearError() {
        assertThatThrownBy(() -> rescorer().rescore("no-such-run", Map.of()))
                .isInstanceOf(AssayException.class).hasMessageContaining("no-such-run");
    }
}
