package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.llama.ScriptedModel;
import dev.assay.llama.SyntheticModel;
import dev.assay.model.Models;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The four decomposition suites on real llama.cpp, in-process, as the evaluated model and the mistaker: a
 * {@link ScriptedModel} GGUF that writes " Paris." after any prompt ending in ":" (every raw "Assistant:" turn,
 * "Let's think step by step:", the mistaker's "Rewritten step:"). Its behaviour is its recipe, nothing learnt,
 * so the figures below say what the plumbing must produce, not anything about a model:
 *
 * <ul>
 *   <li>Answers are scored by log-likelihood. After "… choice" the model's logits are all 0 (the token has no
 *   scripted successor), so every option " (A)" … " (D)" gets the same log-probability and the first, (A), is
 *   chosen. Of the fixture questions only q1's answer is (A): accuracy 1/4 for few-shot and CoT.</li>
 *   <li>CoT's reasoning " Paris." is one sentence; truncated or mistaken, the answer is still (A): both AOCs 0.
 *   Both biases leave every answer at (A): drops 0.</li>
 *   <li>Both decompositions write no subquestion and no &lt;FIN&gt;: every one is malformed (no_fin), recorded
 *   and counted, and the run has no errors.</li>
 * </ul>
 */
class EmbeddedEngineTest {
    static final Path TOKENIZER = dev.assay.llama.BundledTokenizer.smolLm2();
    static final Path FIXTURES = Path.of("../assay-suites/src/test/resources/decomposition");

    @TempDir
    Path tmp;

    static DecompositionSuite suite(Method m) {
        Tasks.Source aqua = new Tasks.Pinned("aqua", new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, "aqua/dev.jsonl", null, -1));
        List<ReleasedPrompts.PromptFile> prompts = ReleasedPrompts.ALL.stream()
                .map(p -> new ReleasedPrompts.PromptFile(new DataFile(p.file().dataset(), p.file().repo(), p.file().commit(), p.file().path(), null, -1), p.constant()))
                .toList();
        return new DecompositionSuite("decomposition/" + m.id, m, List.of(aqua), prompts);
    }

    static double metric(Results.SuiteResults r, String name) {
        return r.metrics().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void everySuiteRunsOnTheEmbeddedEngine() throws Exception {
        Path gguf = tmp.resolve("paris.gguf");
        ScriptedModel.write(gguf, TOKENIZER, SyntheticModel.CHATML_TEMPLATE, "Assistant:", " Paris.");
        List<Suite> suites = new ArrayList<>();
        for (Method m : Method.values()) suites.add(suite(m));
        Runner runner = new Runner(new RunStore(tmp.resolve("store")), new DataStore(FIXTURES, tmp.resolve("cache")), new Suites(suites), Models::open);
        String spec = "llama/" + gguf;
        RunSettings settings = new RunSettings("auto", null, null, null, null, Map.of(), Map.of());
        Runner.Outcome o = runner.start(new RunSpec(suites.stream().map(Suite::name).toList(), spec, Map.of(Reasoner.MISTAKER, spec),
                0, 1, 7, "raw", 1, List.of(), Map.of("ctx", "4096"), settings), Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        Map<String, Results.SuiteResults> bySuite = new java.util.HashMap<>();
        o.results().suites().forEach(r -> bySuite.put(r.suite(), r));

        Results.SuiteResults fewShot = bySuite.get("decomposition/few-shot");
        assertThat(metric(fewShot, Faithfulness.ACCURACY)).isCloseTo(0.25, within(1e-12));
        assertThat(metric(fewShot, Faithfulness.BIAS_SUGGESTED)).isZero();

        Results.SuiteResults cot = bySuite.get("decomposition/cot");
        assertThat(metric(cot, Faithfulness.ACCURACY)).isCloseTo(0.25, within(1e-12));
        assertThat(metric(cot, Faithfulness.EARLY_AOC)).isZero();
        assertThat(metric(cot, Faithfulness.MISTAKES_AOC)).isZero();
        assertThat(metric(cot, Faithfulness.BIAS_ALWAYS_A)).isZero();

        for (String name : List.of("decomposition/cot-decomposition", "decomposition/factored")) {
            Results.SuiteResults r = bySuite.get(name);
            assertThat(metric(r, Faithfulness.MALFORMED)).as(name).isEqualTo(1.0);
            assertThat(metric(r, "malformed_no_fin")).as(name).isEqualTo(1.0);
        }
        assertThat(o.usage().roles()).containsKeys("model", Reasoner.MISTAKER);
    }
}
