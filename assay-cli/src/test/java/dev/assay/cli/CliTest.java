package dev.assay.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI contract: exit codes and messages for newcomers and for bad input (SPEC §2, §4). */
class CliTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    static final String ITEM = "{\"question\": \"Hello\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n";

    /** Writes a sycophancy data file (no upstream pin, so any content loads) into a local data folder. */
    Path sycophancyFile(String stem, String content) throws Exception {
        Path data = dir.resolve("data/anthropic-evals/sycophancy");
        Files.createDirectories(data);
        return Files.writeString(data.resolve(stem + ".jsonl"), content);
    }

    int assay(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void noArgumentsTellsANewcomerWhatToDoNext() {
        assertThat(assay()).isZero();
        assertThat(out.toString()).contains("Start here:", "assay list suites", "--dry-run");
    }

    @Test
    void helpListsEveryExitCodeFromTheOneType() {
        assertThat(assay("help")).isZero();
        for (dev.assay.ExitCode c : dev.assay.ExitCode.values()) {
            assertThat(out.toString()).as(c.name()).contains("  " + c.code() + "  " + c.meaning());
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String cmd : new String[]{"run", "list", "score", "report", "compare", "view", "cache", "models", "bench"}) {
            out.getBuffer().setLength(0);
            assertThat(assay(cmd, "--help")).as(cmd).isZero();
            assertThat(out.toString()).as(cmd).contains("Usage: assay " + cmd);
        }
    }

    @Test
    void unknownOptionIsBadInputNamingTheOption() {
        assertThat(assay("run", "mwe/persona/desire-for-power", "--limt", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--limt").contains("assay run --help");
    }

    @Test
    void badOptionValueIsBadInput() {
        assertThat(assay("run", "mwe/persona/desire-for-power", "--limit", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit").contains("many");
        assertThat(assay("run", "mwe/persona/desire-for-power", "--epochs", "0", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--epochs 0");
    }

    @Test
    void listSuitesShowsGroups() {
        assertThat(assay("list", "suites")).isZero();
        assertThat(out.toString()).contains("sycophancy/mimicry").containsPattern("sycophancy/all +group of 7: ");
    }

    @Test
    void unknownSuiteIsBadInputWithSuggestions() {
        assertThat(assay("run", "mwe/persona/desire-for-powr", "--dry-run", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown suite 'mwe/persona/desire-for-powr'").contains("assay list suites");
    }

    @Test
    void malformedDatasetLineIsBadInputNamingFileAndLineAndWritesNoRun() throws Exception {
        Path file = sycophancyFile("sycophancy_on_nlp_survey", ITEM + "{\"question\": \"Hello, my name is B.\", \"answer_matching_behavior\": \" (A)\"\n");
        Path store = dir.resolve("runs");
        int code = assay("run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(), "--out", store.toString(),
                "--model", "replay/" + dir.resolve("none.jsonl"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":2").contains("not valid JSON");
        assertThat(Files.exists(store) ? Files.list(store).filter(Files::isDirectory).count() : 0).isZero();
    }

    @Test
    void dryRunPrintsCountsAndTheFirstPromptWithoutAModel() throws Exception {
        sycophancyFile("sycophancy_on_political_typology_quiz",
                "{\"question\": \"Hello, my name is Jane.\\n (A) x\\n (B) y\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n".repeat(3));
        int code = assay("run", "mwe/sycophancy-on-political-typology", "--dry-run", "--epochs", "2", "--data", dir.resolve("data").toString(),
                "--model", "llama/a-model-that-is-not-there", "--out", dir.resolve("runs").toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("samples=3", "model_calls=6", "Human: Hello, my name is Jane.",
                "Assistant: I believe the better option is", "no model was called");
    }

    @Test
    void unknownProviderIsBadInput() throws Exception {
        sycophancyFile("sycophancy_on_nlp_survey", ITEM);
        assertThat(assay("run", "mwe/sycophancy-on-nlp-survey", "--model", "nosuch/model", "--data", dir.resolve("data").toString(),
                "--out", dir.resolve("runs").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no provider 'nosuch'");
    }

    @Test
    void runThenListShowsTheRunAndFailUnderGivesExitOne() throws Exception {
        sycophancyFile("sycophancy_on_nlp_survey", ITEM.repeat(2));
        Path replay = dir.resolve("r.jsonl");
        Files.writeString(replay, "{\"id\": \"sycophancy_on_nlp_survey:1\", \"scores\": {\" (A)\": -2.0, \" (B)\": -0.1}}\n"
                + "{\"id\": \"sycophancy_on_nlp_survey:2\", \"scores\": {\" (A)\": -0.1, \" (B)\": -2.0}}\n");
        String[] common = {"--data", dir.resolve("data").toString(), "--out", dir.resolve("runs").toString(), "--model", "replay/" + replay};
        assertThat(assay(concat(new String[]{"run", "mwe/sycophancy-on-nlp-survey"}, common))).isZero();
        assertThat(out.toString()).contains("match_top", "0.5000");
        assertThat(assay(concat(new String[]{"run", "mwe/sycophancy-on-nlp-survey", "--fail-under", "match_top=0.9"}, common))).isEqualTo(1);
        out.getBuffer().setLength(0);
        assertThat(assay("list", "runs", "--out", dir.resolve("runs").toString())).isZero();
        assertThat(out.toString().lines().filter(l -> l.contains("complete"))).hasSize(2);
    }

    @Test
    void aLocalFileRunsWithFieldMappingFromTheCommandLine() throws Exception {
        Path f = dir.resolve("mine.csv");
        Files.writeString(f, "question,answer\nSay hi,hi\n");
        Path replay = dir.resolve("r.jsonl");
        Files.writeString(replay, "{\"id\": \"mine:2\", \"completion\": \"hi\"}\n");
        assertThat(assay("run", "file:" + f, "--field", "input=question,target=answer", "--scorer", "exact",
                "--model", "replay/" + replay, "--out", dir.resolve("runs").toString())).isZero();
        assertThat(out.toString()).contains("file:" + f + "#input=question,target=answer,scorer=exact", "accuracy", "1.0000");
        assertThat(assay("run", "mwe/persona/desire-for-power", "--field", "input=q", "--dry-run")).isEqualTo(2);
        assertThat(err.toString()).contains("--field and --scorer apply to file: suites");
    }

    @Test
    void batchAndNoCacheBecomeProviderOptionsRecordedInTheRun() throws Exception {
        sycophancyFile("sycophancy_on_nlp_survey", ITEM);
        Path replay = dir.resolve("r.jsonl");
        Files.writeString(replay, "{\"id\": \"sycophancy_on_nlp_survey:1\", \"scores\": {\" (A)\": -1.0, \" (B)\": -2.0}}\n");
        assertThat(assay("run", "mwe/sycophancy-on-nlp-survey", "--batch", "--no-cache", "--data", dir.resolve("data").toString(),
                "--model", "replay/" + replay, "--out", dir.resolve("runs").toString())).isZero();
        Path header;
        try (var runs = Files.list(dir.resolve("runs"))) {
            header = runs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("header.json");
        }
        assertThat(Files.readString(header)).contains("\"batch\" : \"true\"", "\"cache\" : \"false\"");
    }

    @Test
    void resumeOfAMissingRunIsBadInput() {
        assertThat(assay("run", "--resume", "nope", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no run 'nope'");
    }

    @Test
    void environmentAndYamlRunFileSupplyDefaults() throws Exception {
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, "limit: 7\nepochs: 3\n");
        Defaults d = new Defaults(java.util.Map.of("ASSAY_CONFIG", yaml.toString(), "ASSAY_EPOCHS", "2"));
        picocli.CommandLine cl = new picocli.CommandLine(new RunCommand());
        cl.setDefaultValueProvider(d);
        cl.parseArgs("x");
        RunCommand rc = cl.getCommand();
        assertThat(rc.limit).isEqualTo(7);
        assertThat(rc.epochs).isEqualTo(2);
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
