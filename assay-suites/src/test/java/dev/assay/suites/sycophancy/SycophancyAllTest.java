package dev.assay.suites.sycophancy;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.model.Models;
import dev.assay.run.GroupTable;
import dev.assay.run.Results;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteGroup;
import dev.assay.suite.Suites;
import dev.assay.suites.mwe.MweFixtureSuites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.assay.suites.sycophancy.Fixtures.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** sycophancy/all: one name runs the seven suites, and their headlines come out as one table. */
class SycophancyAllTest {
    @TempDir
    Path tmp;

    @Test
    void theRegisteredGroupNamesTheSevenRegisteredSuites() {
        Suites suites = Suites.discover();
        assertThat(suites.resolve(List.of(SycophancySuites.ALL))).extracting(Suite::name).containsExactly(
                "sycophancy/are-you-sure", "sycophancy/answer", "sycophancy/feedback", "sycophancy/mimicry",
                "mwe/sycophancy-on-nlp-survey", "mwe/sycophancy-on-philpapers2020", "mwe/sycophancy-on-political-typology");
        for (SuiteGroup.Headline h : suites.group(SycophancySuites.ALL).orElseThrow().members()) {
            Suite s = suites.resolve(List.of(h.suite())).getFirst();
            assertThat(s.metrics()).as(h.suite()).anyMatch(m -> m.name().equals(h.metric()));
        }
    }

    /** Every fixture below the test resources, in one data root. */
    private static DataFile file(String dataset, String path) {
        return new DataFile(dataset, "test/fixtures", "0", path, null, -1);
    }

    /*
     * The replay fixtures of each suite's own test, concatenated (their ids and steps do not collide), plus the
     * two mwe fixture items: the first answered with its user-matching option, the second not. Headlines: the
     * hand-computed values of AreYouSureSuiteTest/RescoreTest (admits 1/2 with the judge), AnswerSuiteTest (−1/4),
     * FeedbackSuiteTest (−1/4), MimicrySuiteTest (1/2), and 1/2 for each mwe suite.
     */
    @Test
    void oneRunOfAllSevenAndOneTable() throws Exception {
        List<Tasks.Source> cot = List.of(new Tasks.Pinned("aqua", file("sycophancy/cot-tasks", "aqua/dev.jsonl")),
                new Tasks.Pinned("arc_challenge", file("sycophancy/cot-tasks", "arc_challenge/ARC-Challenge-Dev.jsonl")));
        DataFile phil = file("fixtures/mwe", "philpapers.jsonl");
        List<Suite> members = List.of(
                new AreYouSureSuite("sycophancy/are-you-sure", cot),
                new AnswerSuite("sycophancy/answer", cot),
                new FeedbackSuite("sycophancy/feedback", file("sycophancy", "feedback.jsonl")),
                new MimicrySuite("sycophancy/mimicry", file("sycophancy", "mimicry.jsonl")),
                MweFixtureSuites.sycophancy("mwe/sycophancy-on-nlp-survey", phil),
                MweFixtureSuites.sycophancy("mwe/sycophancy-on-philpapers2020", phil),
                MweFixtureSuites.sycophancy("mwe/sycophancy-on-political-typology", phil));
        SuiteGroup all = new SycophancySuites().groups().getFirst();
        Suites suites = new Suites(members, List.of(all));

        List<String> model = new ArrayList<>();
        for (String f : List.of("are-you-sure.replay.jsonl", "answer.replay.jsonl", "feedback.model.jsonl", "mimicry.replay.jsonl")) {
            model.addAll(Files.readAllLines(Fixtures.file(f)));
        }
        model.add("{\"id\": \"philpapers:1\", \"completion\": \" (A)\"}");
        model.add("{\"id\": \"philpapers:2\", \"completion\": \" (C)\"}");
        List<String> judge = new ArrayList<>(Files.readAllLines(Fixtures.file("are-you-sure.judge.jsonl")));
        judge.addAll(Files.readAllLines(Fixtures.file("feedback.judge.jsonl")));
        Path modelFile = Files.write(tmp.resolve("model.jsonl"), model);
        Path judgeFile = Files.write(tmp.resolve("judge.jsonl"), judge);

        Runner runner = new Runner(new RunStore(tmp.resolve("store")), new DataStore(Fixtures.ROOT.getParent(), tmp.resolve("cache")), suites, Models::open);
        Runner.Outcome o = runner.start(new RunSpec(List.of(SycophancySuites.ALL), "replay/" + modelFile, Map.of("judge", "replay/" + judgeFile),
                0, 1, 7, null, 2, List.of(), Map.of()), Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        assertThat(o.results().suites()).extracting(Results.SuiteResults::suite).containsExactlyElementsOf(all.suites());
        // feedback: per template first (FeedbackSuiteTest), −0.125; mimicry: on the 3 poems the model attributes (MimicrySuiteTest), 2/3
        double[] expected = {0.5, -0.25, -0.125, 2.0 / 3, 0.5, 0.5, 0.5};
        for (int i = 0; i < expected.length; i++) {
            SuiteGroup.Headline h = all.members().get(i);
            assertThat(metric(o.results().suites().get(i), h.metric())).as(h.suite()).isCloseTo(expected[i], within(1e-12));
        }

        List<String> table = GroupTable.render(all, o.results()).strip().lines().toList();
        assertThat(table).hasSize(2 + 7);
        assertThat(table.getFirst()).startsWith(SycophancySuites.ALL);
        assertThat(table.get(2)).contains("sycophancy/are-you-sure").contains("admits_mistake").contains(" 0.5000 ");
        assertThat(table.get(4)).contains("sycophancy/feedback").contains("-0.1250");
        assertThat(table.get(5)).contains("sycophancy/mimicry").contains(" 0.6667 ").contains("not_attributed 1").containsPattern("\\[-?\\d\\.\\d{4}, \\d\\.\\d{4}]");
        assertThat(table.get(8)).contains("mwe/sycophancy-on-political-typology").contains("match_prob");
    }
}
