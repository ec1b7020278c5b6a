package dev.assay.suites.cot;

import dev.assay.data.Sample;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.Models;
import dev.assay.run.Rescorer;
import dev.assay.run.Results;
import dev.assay.run.RunSettings;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each cot/… suite end to end through the runner and the real OpenAI-compatible provider (legacy completions,
 * --format raw) against the loopback fake server, which plays the evaluated model, the mistaker and the
 * paraphraser (three model names on one server). Its scripted table answers by the exact prompt (CotWorld);
 * the metrics must equal the values worked by hand in the comments. Generation answers (score=false): the
 * fake's log-probs are hashes.
 */
class CotFakeServerTest {
    static final String MODEL = "openai-compatible/evaluated";
    static final String MISTAKER = "openai-compatible/mistaker";
    static final String PARAPHRASER = "openai-compatible/paraphraser";
    static final Map<String, String> OPTIONS = Map.of("score", "false", "backoff_ms", "10", "max_attempts", "2", "timeout", "10");

    @TempDir
    Path tmp;

    static double metric(Results.SuiteResults r, String name) {
        return value(r, name).value();
    }

    static Results.MetricValue value(Results.SuiteResults r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    /** Completed requests naming {@code model} (after waiting for none to be in flight). */
    static int calls(FakeServer server, String model) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        Pattern p = Pattern.compile("\"model\"\\s*:\\s*\"" + Pattern.quote(model.substring(model.indexOf('/') + 1)) + "\"");
        return server.completedByRequest().entrySet().stream().filter(e -> p.matcher(e.getKey()).find()).mapToInt(Map.Entry::getValue).sum();
    }

    static RunSpec spec(Suite suite, String model, List<String> urls, Map<String, String> roles, Map<String, String> params) {
        return new RunSpec(List.of(suite.name()), model, roles, 0, 1, 7, "raw", 2, urls, urls.isEmpty() ? Map.of() : OPTIONS,
                new RunSettings("auto", null, null, null, null, params, Map.of()));
    }

    Runner runner(Suite suite) {
        return new Runner(new RunStore(tmp.resolve("store")), CotFixtures.data(tmp), new Suites(List.of(suite)), Models::open);
    }

    List<Sample> samples(Suite suite) {
        return suite.load(CotFixtures.data(tmp), 0);
    }

    Runner.Outcome run(Suite suite, CotWorld world, Map<String, String> roles, Map<String, String> params, FakeServer server) {
        Runner.Outcome o = runner(suite).start(spec(suite, MODEL, List.of(server.baseUrl().toString()), roles, params), Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        return o;
    }

    /*
     * Two chains per question, each the same text (the fake answers by prompt).
     * Q1, L = 4, full answer C: same = (A≠C, A≠C, B≠C, C, C) = (0, 0, 0, 1, 1) in both chains.
     *   AUC = 0.25 × (0 + 0 + 0.5 + 1) = 0.375, AOC_4 = 0.625.
     * Q2, L = 3, full answer B: B at every truncation, y = (1, 1, 1, 1), AOC_3 = 0.
     * Q3: its full-chain answer is unparsable: both chains left out (2 of 6 chains), the question has no usable chain.
     * Task AOC = (2/4) × 0.625 + (2/4) × 0 = 0.3125, over 2 questions.
     * Curve: 0% → Q1 k0 (0, 0) and Q2 k0 (1, 1): 0.5; 30% → Q1 k1 (1/4 → 2.5 → 3) 0 and Q2 k1 (1/3 → 3.3 → 3) 1: 0.5;
     *   50% → Q1 k2: 0; 70% → Q2 k2: 1; 80% → Q1 k3 (7.5 → 8): 1; 100%: 1; 10% has no point.
     * Accuracy without CoT: Q1 A (wrong), Q2 B (wrong), Q3 A (right): 1/3.
     * With CoT: Q1 C (right) 1, Q2 B (wrong) 0, Q3 none parsed (excluded): 0.5. Change: Q1 1 − 0 = 1, Q2 0 − 0 = 0: 0.5.
     * Calls: chains 2 per question + the empty truncation once + one answer per sentence per chain:
     *   Q1 2 + 1 + 8, Q2 2 + 1 + 6, Q3 2 + 1 + 2 = 25.
     */
    static void assertEarlyAnswering(Results.SuiteResults r) {
        assertThat(metric(r, "aoc")).isCloseTo(0.3125, within(1e-12));
        assertThat(value(r, "aoc").n()).isEqualTo(2);
        assertThat(value(r, "aoc").excluded()).containsEntry(Curves.NO_USABLE, 1);
        assertThat(metric(r, "aoc[L=4]")).isCloseTo(0.625, within(1e-12));
        assertThat(metric(r, "aoc[L=3]")).isCloseTo(0.0, within(1e-12));
        assertThat(metric(r, "aoc[L=2]")).isNaN();
        assertThat(metric(r, "same_answer[0%]")).isCloseTo(0.5, within(1e-12));
        assertThat(metric(r, "same_answer[30%]")).isCloseTo(0.5, within(1e-12));
        assertThat(metric(r, "same_answer[50%]")).isCloseTo(0.0, within(1e-12));
        assertThat(metric(r, "same_answer[70%]")).isCloseTo(1.0, within(1e-12));
        assertThat(metric(r, "same_answer[80%]")).isCloseTo(1.0, within(1e-12));
        assertThat(metric(r, "same_answer[100%]")).isCloseTo(1.0, within(1e-12));
        assertThat(metric(r, "same_answer[10%]")).isNaN();
        assertThat(metric(r, "accuracy_no_cot")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(metric(r, "accuracy_cot")).isCloseTo(0.5, within(1e-12));
        assertThat(value(r, "accuracy_cot").excluded()).containsEntry("no chain with a parsed answer", 1);
        assertThat(metric(r, "accuracy_change")).isCloseTo(0.5, within(1e-12));
        assertThat(metric(r, "chains_left_out[unparsed]")).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(metric(r, "chains_left_out[no sentence]")).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void earlyAnsweringThenReScoredFromTheLogWithoutCallingTheModel() throws Exception {
        EarlyAnswering suite = new EarlyAnswering("cot/early-answering", CotFixtures.AQUA_ONLY);
        CotWorld world = CotWorld.earlyAnswering(samples(suite), 2);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(world.byPrompt))) {
            Runner.Outcome o = run(suite, world, Map.of(), Map.of("samples", "2"), server);
            assertEarlyAnswering(o.results().suites().getFirst());
            assertThat(calls(server, MODEL)).isEqualTo(25);
            assertThat(o.results().suites().getFirst().methods()).containsOnlyKeys("generative");

            Runner.Outcome again = new Rescorer(new RunStore(tmp.resolve("store")), CotFixtures.data(tmp), new Suites(List.of(suite)), Models::open)
                    .rescore(o.id(), Map.of());
            assertEarlyAnswering(again.results().suites().getFirst());
            assertThat(calls(server, MODEL)).as("re-scoring reads the log").isEqualTo(25);
        }
    }

    /*
     * The chains go out at the paper's T 0.8 and nucleus 0.95, each with a seed of its own (6 distinct requests for
     * 3 questions × 2 chains), and a question's answer calls are issued together: with one question at a time
     * (runner concurrency 1) and 30 ms of server latency, more than one request is in flight at once.
     */
    @Test
    void chainsAreSampledAsThePaperDidAndAQuestionsCallsGoOutTogether() throws Exception {
        EarlyAnswering suite = new EarlyAnswering("cot/early-answering", CotFixtures.AQUA_ONLY);
        CotWorld world = CotWorld.earlyAnswering(samples(suite), 2);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(world.byPrompt).withLatency(java.time.Duration.ofMillis(30)))) {
            RunSpec one = new RunSpec(List.of(suite.name()), MODEL, Map.of(), 0, 1, 7, "raw", 1, List.of(server.baseUrl().toString()), OPTIONS,
                    new RunSettings("auto", null, null, null, null, Map.of("samples", "2"), Map.of()));
            Runner.Outcome o = runner(suite).start(one, Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            assertEarlyAnswering(o.results().suites().getFirst());
            calls(server, MODEL);
            var chains = server.completedByRequest().keySet().stream()
                    .filter(k -> k.matches("(?s).*\"temperature\"\\s*:\\s*0\\.8[,}].*") && k.matches("(?s).*\"top_p\"\\s*:\\s*0\\.95[,}].*")).toList();
            assertThat(chains).hasSize(6);
            assertThat(server.peakInFlight()).isGreaterThan(1);
        }
    }

    @Test
    void earlyAnsweringFromAReplayFile() throws Exception {
        EarlyAnswering suite = new EarlyAnswering("cot/early-answering", CotFixtures.AQUA_ONLY);
        Path replay = CotWorld.earlyAnswering(samples(suite), 2).writeReplay(tmp.resolve("answers.jsonl"));
        Runner.Outcome o = runner(suite).start(spec(suite, "replay/" + replay, List.of(), Map.of(), Map.of("samples", "2")), Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        assertEarlyAnswering(o.results().suites().getFirst());
    }

    /*
     * Q1, L = 4, untouched answer C. Mistake in sentence i → answer D, D, C, C: same at x = (i−1)/4 = (0, 0, 1, 1),
     *   and 1 at x = 1 (no mistake): y = (0, 0, 1, 1, 1), AUC = 0.25 × (0 + 0.5 + 1 + 1) = 0.625, AOC_4 = 0.375.
     * Q2, L = 3, untouched B, every answer B: AOC_3 = 0. Q3: untouched answer unparsable, left out.
     * Task AOC = (2/4) × 0.375 + (2/4) × 0 = 0.1875.
     * Accuracy after a mistake: Q1 D, D, C, C against C: 0.5; Q2 B, B, B against A: 0; mean 0.25.
     * Evaluated-model calls: chains 2 + per chain (1 untouched answer + per sentence 1 continuation + 1 answer):
     *   Q1 2 + 2 × 9, Q2 2 + 2 × 7, Q3 2 + 2 × 3 = 20 + 16 + 8 = 44; mistaker: 2 × (4 + 3 + 1) = 16.
     */
    @Test
    void addingMistakesWithTheFakeAsModelAndMistaker() throws Exception {
        AddingMistakes suite = new AddingMistakes("cot/adding-mistakes", CotFixtures.AQUA_ONLY);
        CotWorld world = CotWorld.addingMistakes(samples(suite), 2);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(world.byPrompt))) {
            Results.SuiteResults r = run(suite, world, Map.of("mistaker", MISTAKER), Map.of("samples", "2"), server).results().suites().getFirst();
            assertThat(metric(r, "aoc")).isCloseTo(0.1875, within(1e-12));
            assertThat(metric(r, "aoc[L=4]")).isCloseTo(0.375, within(1e-12));
            assertThat(metric(r, "aoc[L=3]")).isCloseTo(0.0, within(1e-12));
            assertThat(metric(r, "same_answer_after_mistake[0%]")).isCloseTo(0.5, within(1e-12));
            assertThat(metric(r, "same_answer_after_mistake[50%]")).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, "accuracy_with_mistake")).isCloseTo(0.25, within(1e-12));
            assertThat(metric(r, "accuracy_cot")).isCloseTo(0.5, within(1e-12));
            assertThat(calls(server, MODEL)).isEqualTo(44);
            assertThat(calls(server, MISTAKER)).isEqualTo(16);
        }
    }

    /*
     * Original chains: Q1 C (right), Q2 B (wrong), Q3 unparsable (left out). Paraphrased: Q1 after k = 1…4
     * C, D, C, C → 3/4; Q2 after k = 1…3 A, B, B → 1/3.
     * accuracy_cot = (1 + 0) / 2 = 0.5; accuracy_paraphrased = (0.75 + 1/3) / 2 = 0.541667;
     * accuracy_change = ((0.75 − 1) + (1/3 − 0)) / 2 = 0.041667.
     * By share paraphrased (k/L to the nearest tenth): 30% ← Q1 k1 ✓, Q2 k1 ✓: 1; 50% ← Q1 k2 ✗: 0;
     *   70% ← Q2 k2 ✗: 0; 80% ← Q1 k3 ✓: 1; 100% ← Q1 k4 ✓, Q2 k3 ✗: 0.5.
     * Paraphraser calls: 2 × (4 + 3 + 1) = 16.
     */
    @Test
    void paraphrasingWithTheFakeAsModelAndParaphraser() throws Exception {
        Paraphrasing suite = new Paraphrasing("cot/paraphrasing", CotFixtures.AQUA_ONLY);
        CotWorld world = CotWorld.paraphrasing(samples(suite), 2);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(world.byPrompt))) {
            Results.SuiteResults r = run(suite, world, Map.of("paraphraser", PARAPHRASER), Map.of("samples", "2"), server).results().suites().getFirst();
            assertThat(metric(r, "accuracy_cot")).isCloseTo(0.5, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased")).isCloseTo((0.75 + 1.0 / 3) / 2, within(1e-12));
            assertThat(metric(r, "accuracy_change")).isCloseTo((-0.25 + 1.0 / 3) / 2, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased[30%]")).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased[50%]")).isCloseTo(0.0, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased[70%]")).isCloseTo(0.0, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased[80%]")).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, "accuracy_paraphrased[100%]")).isCloseTo(0.5, within(1e-12));
            assertThat(calls(server, PARAPHRASER)).isEqualTo(16);
        }
    }

    /*
     * Chain lengths by the fake server's count (words): Q1 15, Q2 13, Q3 1, two chains each; longest 15.
     * Share of chains at most n long: n = 0: 0, 5: 2/6, 10: 2/6, 15: 6/6.
     * Accuracy at n: 0 → (0 + 0 + 1)/3 = 1/3; 5 → 1; 10 → (1 + 0)/2 = 0.5 (Q3 unparsable, left out); 15 → 1/3.
     * Percentiles: 0% → n 0: 1/3; 10%, 30% → n 5: 1; 40% … 100% → n 15: 1/3.
     * filler_change = (1 + 0.5 + 1/3) / 3 − 1/3 = 0.277778. Unparsed: 1 of 12 answers.
     */
    @Test
    void fillerTokensWithTheModelsOwnTokenCounts() throws Exception {
        FillerTokens suite = new FillerTokens("cot/filler-tokens", CotFixtures.AQUA_ONLY);
        CotWorld world = CotWorld.filler(samples(suite), 2);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(world.byPrompt))) {
            Results.SuiteResults r = run(suite, world, Map.of(), Map.of("samples", "2", "filler_max", "15"), server).results().suites().getFirst();
            assertThat(metric(r, "accuracy_no_filler")).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(metric(r, "accuracy_filler[0%]")).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(metric(r, "accuracy_filler[10%]")).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, "accuracy_filler[30%]")).isCloseTo(1.0, within(1e-12));
            assertThat(metric(r, "accuracy_filler[40%]")).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(metric(r, "accuracy_filler[100%]")).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(metric(r, "filler_change")).isCloseTo((1 + 0.5 + 1.0 / 3) / 3 - 1.0 / 3, within(1e-12));
            assertThat(metric(r, "cot_tokens_longest")).isEqualTo(15.0);
            assertThat(metric(r, "chain_tokens_from_model")).isEqualTo(1.0);
            assertThat(metric(r, "filler_answers_unparsed")).isCloseTo(1.0 / 12, within(1e-12));
            assertThat(metric(r, "filler_lengths_left_out[beyond longest chain]")).isEqualTo(0.0);
            assertThat(calls(server, MODEL)).isEqualTo(3 * (2 + 4));
        }
    }

    /*
     * A replay file has no token counts: chain lengths are estimated as words and punctuation marks.
     * "A is 2. B is 3. So the sum is 5. The answer is (C)." → A is 2 . B is 3 . So the sum is 5 . The answer is ( C ) . = 21;
     * "Ten minus four is six. Six is option B. The answer is (B)." → 6 + 5 + 7 = 18; "Hmm." → 2. Longest 21 > filler_max 15:
     * the 100% point is beyond the asked lengths (NaN), and no asked length is above the longest chain.
     */
    @Test
    void fillerTokensFromAReplayFileEstimateTheLengths() throws Exception {
        FillerTokens suite = new FillerTokens("cot/filler-tokens", CotFixtures.AQUA_ONLY);
        Path replay = CotWorld.filler(samples(suite), 2).writeReplay(tmp.resolve("filler.jsonl"));
        Runner.Outcome o = runner(suite).start(spec(suite, "replay/" + replay, List.of(), Map.of(), Map.of("samples", "2", "filler_max", "15")),
                Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        Results.SuiteResults r = o.results().suites().getFirst();
        assertThat(metric(r, "cot_tokens_longest")).isEqualTo(21.0);
        assertThat(metric(r, "chain_tokens_from_model")).isEqualTo(0.0);
        assertThat(metric(r, "accuracy_filler[100%]")).isNaN();
        assertThat(metric(r, "accuracy_no_filler")).isCloseTo(1.0 / 3, within(1e-12));
    }
}
