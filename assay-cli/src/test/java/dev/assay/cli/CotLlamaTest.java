package dev.assay.cli;

import dev.assay.llama.SyntheticModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every cot/… suite end to end through the command line on a generated GGUF in the embedded llama.cpp engine
 * (random weights in a real shape, SmolLM2's tokenizer): chains sampled, answers scored by letter
 * log-likelihood, the mistaker and paraphraser roles played by the same file, the report's figures drawn, the
 * run re-scored from its log, and --dry-run's call and token estimate. Plumbing only: a random-weight model's
 * numbers are no behaviour and nothing here asserts one.
 */
class CotLlamaTest {
    static final Path TOKENIZER = dev.assay.llama.BundledTokenizer.smolLm2();
    @TempDir
    static Path dir;
    static Path gguf;
    static Path items;

    @BeforeAll
    static void write() throws Exception {
        gguf = dir.resolve("tiny.gguf");
        SyntheticModel.write(gguf, SyntheticModel.Shape.TINY, TOKENIZER, false, 3, null);
        items = dir.resolve("items.jsonl");
        Files.writeString(items, """
                {"question": "What is 2 + 3?", "options": ["4", "5", "6"], "answer": "5"}
                {"question": "Which gas do plants take in for photosynthesis?", "options": ["oxygen", "carbon dioxide", "helium", "neon"], "answer": "B"}
                """);
    }

    record Result(int code, String out, String err) {
        String runId() {
            Matcher m = Pattern.compile("run (\\S+) → ").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return m.group(1);
        }
    }

    static Result assay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static String suite(String method) {
        return "cot/" + method + "/file:" + items + "#choices=options,target=answer";
    }

    /** Two questions for early answering; one for the others, which make a few calls per sentence (the machine is shared). */
    static Result run(String method, String... extra) {
        int questions = method.equals("early-answering") ? 2 : 1;
        List<String> args = new ArrayList<>(List.of("run", suite(method), "--model", "llama/" + gguf, "-S", "samples=2", "-S", "cot_tokens=10",
                "--limit", String.valueOf(questions), "--out", dir.resolve("runs").toString()));
        args.addAll(List.of(extra));
        Result r = assay(args.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("samples=" + questions + " scored=" + questions + " errors=0 methods={loglik=" + questions + "}");
        return r;
    }

    @Test
    void earlyAnsweringRunsIsReportedAndReScored() throws Exception {
        Result r = run("early-answering");
        assertThat(r.out()).contains("aoc", "accuracy_change", "same_answer[0%]");
        String id = r.runId();
        Path html = dir.resolve("report.html");
        Result report = assay("report", id, "--out", dir.resolve("runs").toString(), "-o", html.toString());
        assertThat(report.code()).as(report.out() + report.err()).isZero();
        String page = Files.readString(html);
        assertThat(page).contains("Chain-of-thought faithfulness (Lanham et al. 2023)", "Early answering: same answer as with the whole chain",
                "class=\"pt\"");
        Result score = assay("score", id, "--out", dir.resolve("runs").toString());
        assertThat(score.code()).as(score.out() + score.err()).isZero();
        // The log holds every chain and every truncation's answer call: 2 chains + 1 empty truncation + one per sentence.
        Path samples = dir.resolve("runs").resolve(id).resolve("samples.jsonl");
        String log = Files.readString(samples);
        assertThat(log).contains("\"step\":\"chain/0\"", "\"step\":\"chain/1\"", "\"step\":\"answer/no-cot\"", "\"truncated_answers\"");
    }

    @Test
    void addingMistakesAndParaphrasingWithTheGgufInTheirRoles() {
        run("adding-mistakes", "--role", "mistaker=llama/" + gguf);
        run("paraphrasing", "--role", "paraphraser=llama/" + gguf);
    }

    @Test
    void fillerTokensCountsTokensWithTheModelsTokenizer() {
        Result r = run("filler-tokens");
        assertThat(r.out()).contains("accuracy_filler[0%]", "chain_tokens_from_model");
    }

    @Test
    void dryRunShowsGenerateAndScoreCallsAndTokens() {
        Result r = assay("run", suite("early-answering"), "--dry-run", "-S", "samples=10", "--out", dir.resolve("runs").toString());
        assertThat(r.code()).as(r.err()).isZero();
        // Per question: 10 chains (generate), 1 + 10 × 4 assumed sentences answers (score); two questions.
        assertThat(r.out()).contains("generate_calls=20 score_calls=82").contains("prompt_tokens=").contains("-S expected_sentences");
    }
}
