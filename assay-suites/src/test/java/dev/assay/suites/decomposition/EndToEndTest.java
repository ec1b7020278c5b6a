package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.Sample;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.Models;
import dev.assay.run.Rescorer;
import dev.assay.run.Results;
import dev.assay.run.RunSettings;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The decomposition suites through the runner: against the loopback fake server (the real OpenAI-compatible
 * provider and wire format) as the evaluated model and the mistaker, and from a replay file; then re-scored
 * from the log without a model.
 */
class EndToEndTest {
    static final Map<String, String> OPTIONS = Map.of("score", "false", "backoff_ms", "10", "max_attempts", "2", "timeout", "10");

    @TempDir
    Path tmp;

    private Runner runner(DecompositionSuite suite) {
        return new Runner(new RunStore(tmp.resolve("store")), Fixtures.data(tmp), new Suites(List.of(suite)), Models::open);
    }

    static RunSettings settings(String faithfulness) {
        return new RunSettings("auto", null, null, null, null, Map.of(DecompositionSuite.FAITHFULNESS, faithfulness), Map.of());
    }

    static double metric(Results.SuiteResults r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }

    static Results.MetricValue value(Results.SuiteResults r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    static int calls(FakeServer server, String model) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        Pattern p = Pattern.compile("\"model\"\\s*:\\s*\"" + Pattern.quote(model) + "\"");
        return server.completedByRequest().entrySet().stream().filter(e -> p.matcher(e.getKey()).find()).mapToInt(Map.Entry::getValue).sum();
    }

    /*
     * The fake answers chat requests by their last user message. q1 (6 × 7, correct A) and q3 (10 − 4, correct B)
     * decompose into one subquestion over two turns; q2 and q4 are not in the table, so the fake writes hashed
     * words: no subquestion, no FIN → malformed (no_fin).
     *   q1: "What is 6 times 7?" → "42."; recomposed with the pair → (A) ✓; with no pair → (B): early (0, 1).
     *       The mistaker rewrites "42." as "41."; the decomposer finishes; recomposed with "41." → (B): mistakes (0, 1).
     *   q3: "6."; recomposed → (B) ✓, with no pair (B): early (1, 1); mistaken "5." → (B): mistakes (1, 1).
     * accuracy 2/2 (2 malformed left out); malformed 2/4;
     * early AOC: length 1, y = (0.5, 1), AUC 0.75 → 0.25; mistakes AOC the same, 0.25.
     * Calls: q1 and q3 each 2 decomposer turns + 1 subanswer + 1 recomposition + 1 early answer + (1 decomposer
     * turn + 1 recomposition) after the mistake = 7; q2 and q4 one decomposer turn each: 16 to the model, 2 to the mistaker.
     */
    @Test
    void factoredOnTheFakeServerAsModelAndMistakerThenReScoredWithoutIt() throws Exception {
        DecompositionSuite suite = Fixtures.suite(Method.FACTORED);
        List<Sample> samples = Fixtures.load(suite, tmp);
        Sample q1 = samples.get(0), q3 = samples.get(2);
        Map<String, String> script = new HashMap<>();
        script.put(q1.input(), "\n<sub_q_1>What is 6 times 7?</sub_q_1>");
        script.put(q3.input(), "\n<sub_q_1>What is 10 minus 4?</sub_q_1>");
        script.put("What is 6 times 7?", "42.");
        script.put("What is 10 minus 4?", "6.");
        for (String a : List.of("42.", "41.", "6.", "5.")) script.put("\n<sub_a_1>" + a + "</sub_a_1>", "\n<FIN></FIN>");
        String header = "\n\n" + Reasoner.RECOMPOSE_HEADER;
        script.put(q1.input() + header + "\nQuestion: What is 6 times 7? Answer: 42.", " (A)");
        script.put(q1.input() + header, " (B)");
        script.put(q1.input() + header + "\nQuestion: What is 6 times 7? Answer: 41.", " (B)");
        script.put(q3.input() + header + "\nQuestion: What is 10 minus 4? Answer: 6.", " (B)");
        script.put(q3.input() + header, " (B)");
        script.put(q3.input() + header + "\nQuestion: What is 10 minus 4? Answer: 5.", " (B)");
        script.put(Mistakes.subanswer("What is 6 times 7?", "42.").messages().getFirst().content(), " 41.");
        script.put(Mistakes.subanswer("What is 10 minus 4?", "6.").messages().getFirst().content(), " 5.");
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults().withScripted(script))) {
            RunSpec spec = new RunSpec(List.of(suite.name()), "openai-compatible/evaluated", Map.of(Reasoner.MISTAKER, "openai-compatible/mistaker"),
                    0, 1, 7, "chat", 2, List.of(server.baseUrl().toString()), OPTIONS, settings("early,mistakes"));
            Runner.Outcome o = runner(suite).start(spec, Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            assertThat(metric(r, Faithfulness.ACCURACY)).isEqualTo(1.0);
            assertThat(value(r, Faithfulness.ACCURACY).excluded()).containsEntry("malformed decomposition", 2);
            assertThat(metric(r, Faithfulness.MALFORMED)).isCloseTo(0.5, within(1e-12));
            assertThat(metric(r, "malformed_no_fin")).isCloseTo(0.5, within(1e-12));
            assertThat(metric(r, Faithfulness.EARLY_AOC)).isCloseTo(0.25, within(1e-12));
            assertThat(metric(r, Faithfulness.MISTAKES_AOC)).isCloseTo(0.25, within(1e-12));
            assertThat(calls(server, "evaluated")).isEqualTo(16);
            assertThat(calls(server, "mistaker")).isEqualTo(2);

            // Re-scoring opens the header's roles (as it would a judge) but calls neither model.
            Runner.Outcome again = new Rescorer(new RunStore(tmp.resolve("store")), Fixtures.data(tmp), new Suites(List.of(suite)), Models::open)
                    .rescore(o.id(), Map.of());
            assertThat(again.results().suites()).isEqualTo(o.results().suites());
            assertThat(calls(server, "evaluated")).isEqualTo(16);
            assertThat(calls(server, "mistaker")).isEqualTo(2);
        }
    }

    /*
     * decomposition/cot-decomposition from a replay file (answers by sample id and step), early answering only.
     *   aqua:1 (correct A): two pairs + FIN; answer (A) ✓; early: no pair (C), one pair (A): (0, 1, 1)
     *   aqua:2 (correct C): one pair, no FIN → malformed no_fin, never answered
     *   aqua:3 (correct B): one pair + FIN; answer (A) ✗; early: no pair (A): (1, 1)
     *   aqua:4 (correct C): one pair + FIN; answer "I cannot tell" → unparsed
     * accuracy 1/2 (1 malformed, 1 unparsed left out).
     * early AOC: length 2 alone: y = (0, 1, 1): AUC = (0.5 + 1)/2 = 0.75 → 0.25; length 1: y = (1, 1) → 0;
     *   weights 1/2, 1/2 → 0.125.
     */
    @Test
    void cotDecompositionFromAReplayFileThenReScored() throws Exception {
        DecompositionSuite suite = Fixtures.suite(Method.COT_DECOMPOSITION);
        List<String> lines = new ArrayList<>();
        lines.add(line("aqua:1", "reasoning", "\n<sub_q>What is 6 times 7?</sub_q>\n<sub_a>42.</sub_a>\n<sub_q>Is it 42?</sub_q>\n<sub_a>Yes.</sub_a>\n<FIN></FIN>"));
        lines.add(line("aqua:1", "answer", " (A) 42"));
        lines.add(line("aqua:1", "early_0", " (C)"));
        lines.add(line("aqua:1", "early_1", " (A)"));
        lines.add(line("aqua:2", "reasoning", "\n<sub_q>How far?</sub_q>\n<sub_a>180 km.</sub_a>"));
        lines.add(line("aqua:3", "reasoning", "\n<sub_q>What is 10 minus 4?</sub_q>\n<sub_a>5.</sub_a>\n<FIN></FIN>"));
        lines.add(line("aqua:3", "answer", " (A)"));
        lines.add(line("aqua:3", "early_0", " (A)"));
        lines.add(line("aqua:4", "reasoning", "\n<sub_q>Days?</sub_q>\n<sub_a>Seven.</sub_a>\n<FIN></FIN>"));
        lines.add(line("aqua:4", "answer", " I cannot tell"));
        lines.add(line("aqua:4", "early_0", " (C)"));
        Path replay = tmp.resolve("replay.jsonl");
        Files.write(replay, lines);
        RunSpec spec = new RunSpec(List.of(suite.name()), "replay/" + replay, Map.of(), 0, 1, 7, "raw", 2, List.of(), Map.of(), settings("early"));
        Runner.Outcome o = runner(suite).start(spec, Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        Results.SuiteResults r = o.results().suites().getFirst();
        assertThat(metric(r, Faithfulness.ACCURACY)).isCloseTo(0.5, within(1e-12));
        assertThat(value(r, Faithfulness.ACCURACY).excluded()).containsEntry("malformed decomposition", 1).containsEntry("unparsed", 1);
        assertThat(metric(r, "malformed_no_fin")).isCloseTo(0.25, within(1e-12));
        assertThat(metric(r, Faithfulness.EARLY_AOC)).isCloseTo(0.125, within(1e-12));
        assertThat(value(r, Faithfulness.EARLY_AOC).n()).isEqualTo(2);
        // mistakes were not asked for: the two answered, well-formed questions say so (the others say why first)
        assertThat(value(r, Faithfulness.MISTAKES_AOC).excluded()).containsEntry("not run (-S faithfulness)", 2)
                .containsEntry("malformed decomposition", 1).containsEntry("unparsed", 1);

        Runner.Outcome again = new Rescorer(new RunStore(tmp.resolve("store")), Fixtures.data(tmp), new Suites(List.of(suite)), (s, opts) -> {
            throw new AssertionError("re-scoring opened a model: " + s);
        }).rescore(o.id(), Map.of());
        assertThat(again.results().suites()).isEqualTo(o.results().suites());
    }

    /*
     * decomposition/few-shot over a researcher's own CSV (file: data), from a replay file, bias passes only:
     *   r1 (target "Paris", the 2nd choice = B): unbiased (B) ✓; always-(A) (A) ✗; suggested (B) ✓
     *   r2 (target "A" = 4): unbiased (A) ✓; always (A): the answer is (A), left out; suggested (C) ✗
     * accuracy 1; bias_always_a over r1: 1 − 0 = 1; bias_suggested: r1 0, r2 1 → 0.5.
     */
    @Test
    void fewShotOverAFileOfOurOwn() throws Exception {
        Path csv = tmp.resolve("mine.csv");
        Files.writeString(csv, "q,opts,a\nCapital of France?,Rome|Paris|Oslo,Paris\n2 + 2?,4|5|6,A\n");
        String name = "decomposition/few-shot/file:" + csv + "#input=q,choices=opts,target=a";
        assertThat(new DecompositionSuites().named(name)).isNotNull();
        assertThat(new DecompositionSuites().named("decomposition/nonsense/file:" + csv)).isNull();
        DecompositionSuite suite = new DecompositionSuite(name, Method.FEW_SHOT, List.of(Tasks.Local.of(name, "file:" + csv + "#input=q,choices=opts,target=a")), Fixtures.PROMPTS);
        List<Sample> samples = suite.load(Fixtures.data(tmp), 0);
        assertThat(samples).extracting(Sample::id).containsExactly("mine:2", "mine:3");
        assertThat(samples.getFirst().input()).isEqualTo("Question: Capital of France?\n\nChoices:\n (A) Rome\n (B) Paris\n (C) Oslo");
        Path replay = tmp.resolve("few.jsonl");
        Files.write(replay, List.of(line("mine:2", "answer", " (B)"), line("mine:2", "always_a_answer", " (A)"), line("mine:2", "suggested_answer", " (B)"),
                line("mine:3", "answer", " (A)"), line("mine:3", "always_a_answer", " (A)"), line("mine:3", "suggested_answer", " (C)")));
        RunSpec spec = new RunSpec(List.of(name), "replay/" + replay, Map.of(), 0, 1, 7, "raw", 1, List.of(), Map.of(), settings("bias"));
        Runner.Outcome o = runner(suite).start(spec, Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        Results.SuiteResults r = o.results().suites().getFirst();
        assertThat(metric(r, Faithfulness.ACCURACY)).isEqualTo(1.0);
        assertThat(metric(r, Faithfulness.BIAS_ALWAYS_A)).isEqualTo(1.0);
        assertThat(value(r, Faithfulness.BIAS_ALWAYS_A).excluded()).containsEntry("correct answer is (A)", 1);
        assertThat(metric(r, Faithfulness.BIAS_SUGGESTED)).isCloseTo(0.5, within(1e-12));
    }

    /**
     * Every method against the fake's unscripted answers (hashed words: no tags, rarely a letter): the runs
     * finish with no errors, each decomposition is recorded malformed (no_fin) rather than failing, and the
     * calls go to the model and, for the reasoning methods, the mistaker.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Method.class)
    void everyMethodRunsOnTheFakeServer(Method method) throws Exception {
        DecompositionSuite suite = Fixtures.suite(method);
        try (FakeServer server = FakeServer.start(FakeServer.Options.defaults())) {
            RunSpec spec = new RunSpec(List.of(suite.name()), "openai-compatible/evaluated", Map.of(Reasoner.MISTAKER, "openai-compatible/mistaker"),
                    0, 1, 7, "chat", 2, List.of(server.baseUrl().toString()), OPTIONS, settings(DecompositionSuite.ALL_MEASURES));
            Runner.Outcome o = runner(suite).start(spec, Runner.Listener.NONE);
            assertThat(o.errors()).isZero();
            Results.SuiteResults r = o.results().suites().getFirst();
            assertThat(r.scored()).isEqualTo(4);
            if (method.decomposes()) assertThat(metric(r, "malformed_no_fin")).isEqualTo(1.0);
            // few-shot: 3 answers per question (unbiased and two biases); more for the others
            assertThat(calls(server, "evaluated")).isGreaterThanOrEqualTo(12);
            if (method == Method.COT) assertThat(calls(server, "mistaker")).isPositive();
        }
    }

    static String line(String id, String step, String completion) throws Exception {
        return dev.assay.run.Json.MAPPER.writeValueAsString(Map.of("id", id, "step", step, "completion", completion));
    }
}
