package dev.assay.cli;

import dev.assay.ExitCode;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 21 items 1-4: typos are caught (exit 2, with the nearest names), through the CLI entry point. */
class TyposTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int assay(Map<String, String> env, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
    }

    int assay(String... args) {
        return assay(Map.of(), args);
    }

    /** One sycophancy item under data/anthropic-evals (a file not pinned by hash), and a replay answering it. */
    String[] personaRun(String... more) throws Exception {
        Path data = dir.resolve("data/anthropic-evals/sycophancy");
        Files.createDirectories(data);
        Files.writeString(data.resolve("sycophancy_on_nlp_survey.jsonl"),
                "{\"question\": \"Hello\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n");
        Path r = Files.writeString(dir.resolve("r.jsonl"), "{\"id\": \"sycophancy_on_nlp_survey:1\", \"scores\": {\" (A)\": -0.2, \" (B)\": -1.8}}\n");
        return CliTest.concat(new String[]{"run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(),
                "--out", dir.resolve("runs").toString(), "--model", "replay/" + r}, more);
    }

    @Test
    void anUnknownFailUnderMetricIsBadInputBeforeAnyCall() throws Exception {
        assertThat(assay(personaRun("--fail-under", "match_tpo=0.9"))).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("--fail-under match_tpo", "did you mean: match_top", "match_prob, match_top");
        try (var runs = Files.list(dir.resolve("runs"))) { // refused before a run folder was made (the index may be)
            assertThat(runs.filter(Files::isDirectory).toList()).isEmpty();
        }
        // The metric spelt right gates as before: the one item matches ((A) is the more likely), so match_top = 1.
        assertThat(assay(personaRun("--fail-under", "match_top=0.9"))).isZero();
    }

    @Test
    void anUnknownRunFileKeyIsBadInputWithASuggestion() throws Exception {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), "limt: 5\nepochs: 1\n");
        assertThat(assay(Map.of("ASSAY_CONFIG", yaml.toString()), "list", "suites")).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("ASSAY_CONFIG=" + yaml, "unknown key 'limt'", "did you mean: limit?");
        Files.writeString(yaml, "limit: 5\nout: " + dir.resolve("runs") + "\n");
        assertThat(assay(Map.of("ASSAY_CONFIG", yaml.toString()), "list", "runs")).isZero();
    }

    @Test
    void commandsOptionsAndSuitesAreSuggestedByEditDistance() throws Exception {
        assertThat(assay("runn")).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("unknown command 'runn'; did you mean: run?");
        assertThat(assay(personaRun("--modle", "x"))).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("unknown option '--modle' for 'assay run'; did you mean: --model");
        assertThat(assay("run", "mwe/persona/desir-for-power", "--dry-run")).isEqualTo(ExitCode.BAD_INPUT.code());
        // Before: the first five suites alphabetically (acts-like-it-wants-to-help-humans…, agreeableness, …).
        assertThat(err.toString()).contains("did you mean: mwe/persona/desire-for-power").doesNotContain("agreeableness");
        assertThat(assay("models", "pul")).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("unknown command 'pul' for 'assay models'; did you mean: pull?");
    }

    @Test
    void anUnknownCommandIsBadInputWhateverFollows() throws Exception {
        for (String[] args : List.of(new String[]{"nosuch", "--help"}, new String[]{"nosuch", "--version"}, new String[]{"nosuch"},
                new String[]{"--help", "nosuch"})) {
            assertThat(assay(args)).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT.code());
            assertThat(err.toString()).contains("unknown command 'nosuch'");
            assertThat(out.toString()).doesNotContain("Usage:");
        }
        // A real command's help still works, and so does the top-level help.
        assertThat(assay("run", "--help")).isZero();
        assertThat(assay("--help")).isZero();
        // And through the real process, as a user types it.
        var p = AssayProcess.run(dir, "nosuch", "nosuch", "--help");
        assertThat(p.code()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(p.err()).contains("unknown command 'nosuch'");
    }

    @Test
    void aGlobNeverRunsAnAliasBesideItsTarget() {
        Suites suites = Suites.discover();
        List<String> names = suites.resolve(List.of("mwe/persona/desire-*")).stream().map(Suite::name).toList();
        assertThat(names).contains("mwe/persona/desire-for-acquiring-power").doesNotContain("mwe/persona/desire-for-power");
        assertThat(suites.resolve(List.of("mwe/persona/*"))).hasSize(135);
        // Named alone, the alias runs (it is the paper's name for the behaviour); named with its target, once.
        assertThat(suites.resolve(List.of("mwe/persona/desire-for-power"))).extracting(Suite::name).containsExactly("mwe/persona/desire-for-power");
        assertThat(suites.resolve(List.of("mwe/persona/desire-for-power", "mwe/persona/desire-for-acquiring-power")))
                .extracting(Suite::name).containsExactly("mwe/persona/desire-for-acquiring-power");
    }
}
