package dev.assay.suites.sycophancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.Models;
import dev.assay.run.Rescorer;
import dev.assay.run.Results;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.assay.suites.sycophancy.Fixtures.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each sycophancy suite end to end through the runner and the real OpenAI-compatible provider against the
 * loopback fake server, which plays both the evaluated model ("evaluated") and the judge ("judge"): two model
 * names on one server, told apart in its per-request counters. The server's scripted table answers by the last
 * user message; the table is built from the same replay fixtures as the replay tests, so the metrics must equal
 * the same hand-computed values. Generation only (score=false): the fake's log-probs are hashes.
 */
class FakeServerAcceptanceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "openai-compatible/evaluated";
    static final String JUDGE = "openai-compatible/judge";
    static final Map<String, String> OPTIONS = Map.of("score", "false", "backoff_ms", "10", "max_attempts", "2", "timeout", "10");

    @TempDir
    Path tmp;

    /** Answers of a replay fixture by "id/step". */
    static Map<String, String> replay(String file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(Fixtures.file(file))) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            out.put(n.path("id").asText() + "/" + n.path("step").asText(), n.path("completion").asText());
        }
        return out;
    }

    static String lastUser(Dialogue d) {
        return d.messages().stream().filter(m -> m.role().equals("user")).reduce((a, b) -> b).orElseThrow().content();
    }

    /**
     * Completed requests naming {@code model}, from the server's per-request counters. The server counts a
     * request just after the client has its answer, so this first waits for no request to be in flight.
     */
    static int calls(FakeServer server, String model) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        Pattern p = Pattern.compile("\"model\"\\s*:\\s*\"" + Pattern.quote(model.substring(model.indexOf('/') + 1)) + "\"");
        return server.completedByRequest().entrySet().stream().filter(e -> p.matcher(e.getKey()).find())
                .mapToInt(Map.Entry::getValue).sum();
    }

    static RunSpec spec(Suite suite, FakeServer server, Map<String, String> roles) {
        return new RunSpec(List.of(suite.name()), MODEL, roles, 0, 1, 7, "chat", 2, List.of(server.baseUrl().toString()), OPTIONS);
    }

    private Runner runner(DataStore data, Suite suite) {
        return new Runner(new RunStore(tmp.resolve("store")), data, new Suites(List.of(suite)), Models::open);
    }

    private static DataStore resources(Path tmp) {
        return new DataStore(Fixtures.ROOT.getParent(), tmp.resolve("cache"));
    }

    @Test
    void mimicry() throws Exception {
        Map<String, String> answers = replay("mimicry.replay.jsonl");
        Map<String, String> script = new HashMap<>();
        for (Sample s : MimicrySuiteTest.SUITE.load(resources(tmp), 0)) {
            script.put(s.input(), answers.get(s.id() + "/" + MimicrySuite.STEP));
            script.put(MimicrySuite.ASK_POET + s.meta("poem"), answers.get(s.id() + "/" + MimicrySuite.ATTRIBUTION));
        }
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Runner.Outcome o = runner(resources(tmp), MimicrySuiteTest.SUITE).start(spec(MimicrySuiteTest.SUITE, server, Map.of()), Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            assertThat(metric(r, MimicrySuite.MIMICRY)).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(metric(r, MimicrySuite.MENTIONS_WRONG)).isCloseTo(0.75, within(1e-12));
            assertThat(calls(server, MODEL)).isEqualTo(8);
        }
    }

    @Test
    void answer() throws Exception {
        AnswerSuite suite = new AnswerSuite("sycophancy/answer", Fixtures.BOTH);
        Map<String, String> answers = replay("answer.replay.jsonl");
        Map<String, String> script = new HashMap<>();
        for (Sample s : suite.load(Fixtures.data(tmp), 0)) {
            for (AnswerSuite.Condition c : AnswerSuite.Condition.values()) {
                script.put(lastUser(AnswerSuite.dialogue(s, c)), answers.get(s.id() + "/" + c.step));
            }
        }
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Runner.Outcome o = runner(Fixtures.data(tmp), suite).start(spec(suite, server, Map.of()), Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            // The hand-computed values of AnswerSuiteTest.
            assertThat(metric(r, AnswerSuite.SYCOPHANCY)).isCloseTo(-0.25, within(1e-12));
            assertThat(metric(r, AnswerSuite.FOLLOWS_INCORRECT)).isCloseTo(0.75, within(1e-12));
            assertThat(metric(r, AnswerSuite.UNPARSED)).isCloseTo(1.0 / 16, within(1e-12));
            assertThat(calls(server, MODEL)).isEqualTo(16);
        }
    }

    @Test
    void feedbackWithTheFakeAsModelAndJudge() throws Exception {
        FeedbackSuite suite = new FeedbackSuite("sycophancy/feedback",
                new DataFile("sycophancy", "meg-tong/sycophancy-eval", "main", "feedback.jsonl", null, -1));
        Map<String, String> model = replay("feedback.model.jsonl");
        Map<String, String> judge = replay("feedback.judge.jsonl");
        Map<String, String> script = new HashMap<>();
        for (Sample s : suite.load(resources(tmp), 0)) {
            String baseline = model.get(s.id() + "/" + FeedbackSuite.BASELINE);
            script.put(s.input(), baseline);
            for (FeedbackSuite.Template t : FeedbackSuite.Template.values()) {
                if (s.meta(t.step) == null) continue;
                String modified = model.get(s.id() + "/" + t.step);
                script.put(s.meta(t.step), modified);
                script.put(FeedbackSuite.judgeQuestion(s.meta("dataset"), baseline, modified, FeedbackSuite.baselineFirst(s, t)),
                        judge.get(s.id() + "/judge_" + t.step));
            }
        }
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Runner.Outcome o = runner(resources(tmp), suite).start(spec(suite, server, Map.of("judge", JUDGE)), Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            // The hand-computed values of FeedbackSuiteTest.
            assertThat(metric(r, FeedbackSuite.SYCOPHANCY)).isCloseTo(-0.125, within(1e-12));
            assertThat(metric(r, FeedbackSuite.Template.WROTE.key())).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, FeedbackSuite.JUDGE_UNPARSED)).isCloseTo(1.0 / 12, within(1e-12));
            int judged = judge.size();
            assertThat(calls(server, JUDGE)).isEqualTo(judged);
            assertThat(calls(server, MODEL)).isEqualTo(3 + judged);
        }
    }

    /*
     * Correct options A, D, D, B. First answers A✓ D✓ D✓ A✗ (correct_first 3/4); every reply to "Are you sure?"
     * apologises (admits 3/3 by phrase); every final answer is (A): correct_final 1/4, revised_to_wrong 2/3.
     * Then a judge is added by re-scoring: Yes, No, unparseable for the three initially-correct questions →
     * admits 1/2, judge_unparsed 1/3 — with not one more call to the evaluated model.
     */
    @Test
    void areYouSureThenReScoredWithAJudgeWithoutCallingTheModel() throws Exception {
        AreYouSureSuite suite = new AreYouSureSuite("sycophancy/are-you-sure", Fixtures.BOTH);
        List<Sample> samples = suite.load(Fixtures.data(tmp), 0);
        String apology = "I apologize, I was wrong.";
        Map<String, String> script = new HashMap<>();
        String[] first = {" (A)", " (D)", " (D)", " (A)"};
        String[] verdict = {"Yes", "No", "It is hard to say."};
        for (int i = 0; i < samples.size(); i++) {
            script.put(samples.get(i).input(), first[i]);
            if (i < 3) script.put(Admission.judgeQuestion(samples.get(i).input(), apology), verdict[i]);
        }
        script.put(AreYouSureSuite.CHALLENGE_TEXT, apology);
        script.put(AreYouSureSuite.FINAL_TEXT, " (A)");
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Runner.Outcome o = runner(Fixtures.data(tmp), suite).start(spec(suite, server, Map.of()), Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            assertThat(metric(r, AreYouSureSuite.CORRECT_FIRST)).isCloseTo(0.75, within(1e-12));
            assertThat(metric(r, AreYouSureSuite.ADMITS)).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, AreYouSureSuite.CORRECT_FINAL)).isCloseTo(0.25, within(1e-12));
            assertThat(metric(r, AreYouSureSuite.REVISED)).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(calls(server, MODEL)).isEqualTo(12);
            assertThat(calls(server, JUDGE)).isZero();

            Runner.Outcome rescored = new Rescorer(new RunStore(tmp.resolve("store")), Fixtures.data(tmp), new Suites(List.of(suite)), Models::open)
                    .rescore(o.id(), Map.of("judge", JUDGE));
            Results.SuiteResults after = rescored.results().suites().getFirst();
            assertThat(metric(after, AreYouSureSuite.ADMITS)).isCloseTo(0.5, within(1e-12));
            assertThat(metric(after, AreYouSureSuite.JUDGE_UNPARSED)).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(metric(after, AreYouSureSuite.REVISED)).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(calls(server, MODEL)).as("re-scoring calls the judge only").isEqualTo(12);
            assertThat(calls(server, JUDGE)).isEqualTo(3);
        }
    }
}
