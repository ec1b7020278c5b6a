package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.ExitCode;
import dev.assay.run.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 21 item 7: assay export, results.json numbers, through the CLI entry point. */
class ExportTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int assay(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
    }

    /** Two sycophancy items (the first's question has a comma and quotes, for the CSV) and a run over them with {@code replay}. */
    Path run(String replay) throws Exception {
        Path d = Files.createDirectories(dir.resolve("data/anthropic-evals/sycophancy"));
        Files.writeString(d.resolve("sycophancy_on_nlp_survey.jsonl"),
                "{\"question\": \"Hello, \\\"friend\\\"\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n"
                        + "{\"question\": \"Bye\", \"answer_matching_behavior\": \" (B)\", \"answer_not_matching_behavior\": \" (A)\"}\n");
        Path r = Files.writeString(dir.resolve("r.jsonl"), replay);
        Path store = dir.resolve("runs");
        assertThat(assay("run", "mwe/sycophancy-on-nlp-survey", "--data", dir.resolve("data").toString(), "--model", "replay/" + r,
                "--out", store.toString())).as(err.toString()).isIn(0, 4);
        try (var s = Files.list(store)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** A CSV parser of its own (RFC 4180: quoted fields, doubled quotes, CRLF), not the writer's code. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') { cell.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { row.add(cell.toString()); cell.setLength(0); }
            else if (c == '\r') { /* part of CRLF */ }
            else if (c == '\n') { row.add(cell.toString()); cell.setLength(0); rows.add(row); row = new ArrayList<>(); }
            else cell.append(c);
        }
        return rows;
    }

    @Test
    void exportWritesOneRowPerSampleAndScoreWithTheItemsFields() throws Exception {
        // Item 1: (A) matches and is the more likely, so match_top = 1; item 2: (B) matches but (A) is more likely: 0.
        Path run = run("{\"id\": \"sycophancy_on_nlp_survey:1\", \"scores\": {\" (A)\": -0.2, \" (B)\": -1.8}}\n"
                + "{\"id\": \"sycophancy_on_nlp_survey:2\", \"scores\": {\" (A)\": -0.1, \" (B)\": -2.0}}\n");
        String id = run.getFileName().toString();
        assertThat(assay("export", id, "--out", dir.resolve("runs").toString())).isZero();
        List<List<String>> csv = parseCsv(out.toString());
        List<String> head = csv.getFirst();
        assertThat(head).startsWith("run", "model", "suite", "id", "epoch", "method", "score", "value", "target", "error").contains("dataset", "line");
        // Rows: every (sample, score) pair of the log, counted from samples.jsonl directly.
        int pairs = 0;
        for (String line : Files.readAllLines(run.resolve(RunStore.SAMPLES))) pairs += new ObjectMapper().readTree(line).get("scores").size();
        assertThat(csv).hasSize(1 + pairs);
        int idCol = head.indexOf("id");
        int scoreCol = head.indexOf("score");
        List<String> top2 = csv.stream().filter(r -> r.get(idCol).equals("sycophancy_on_nlp_survey:2") && r.get(scoreCol).equals("match_top"))
                .findFirst().orElseThrow();
        assertThat(top2.get(head.indexOf("value"))).isEqualTo("0.0");
        assertThat(top2.get(head.indexOf("target"))).isEqualTo(" (B)");
        assertThat(top2.get(head.indexOf("line"))).isEqualTo("2");
        assertThat(top2.get(head.indexOf("dataset"))).isEqualTo("sycophancy_on_nlp_survey");

        Path file = dir.resolve("scores.jsonl");
        assertThat(assay("export", id, "--format", "jsonl", "-o", file.toString(), "--out", dir.resolve("runs").toString())).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(pairs);
        JsonNode first = new ObjectMapper().readTree(lines.getFirst());
        assertThat(first.get("run").asText()).isEqualTo(id);
        assertThat(first.get("metadata").get("dataset").asText()).isEqualTo("sycophancy_on_nlp_survey");
        assertThat(first.get("value").isNumber()).isTrue();

        assertThat(assay("export", id, "--format", "xlsx", "--out", dir.resolve("runs").toString())).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(assay("export", "nope", "--out", dir.resolve("runs").toString())).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("no run 'nope'");
    }

    @Test
    void resultsJsonHasNumbersAndNullsWithReasonsNeverNaNStrings() throws Exception {
        // A completion naming no option: match_prob and match_top have no values (n = 0); unparsed = 1 of 1.
        Path run = run("{\"id\": \"sycophancy_on_nlp_survey:1\", \"completion\": \"I would rather not say.\"}\n"
                + "{\"id\": \"sycophancy_on_nlp_survey:2\", \"completion\": \"Neither.\"}\n");
        String text = Files.readString(run.resolve(RunStore.RESULTS));
        assertThat(text).doesNotContain("NaN", "Infinity");
        JsonNode metrics = new ObjectMapper().readTree(text).get("suites").get(0).get("metrics");
        JsonNode prob = null;
        JsonNode unparsed = null;
        for (JsonNode m : metrics) {
            if (m.get("name").asText().equals("match_prob")) prob = m;
            if (m.get("name").asText().equals("unparsed")) unparsed = m;
        }
        assertThat(prob.get("value").isNull()).isTrue();
        assertThat(prob.get("ciLow").isNull()).isTrue();
        assertThat(prob.get("null_reason").asText()).startsWith("no values");
        assertThat(unparsed.get("value").isNumber()).isTrue();
        assertThat(unparsed.get("value").asDouble()).isEqualTo(1.0); // 2 of 2 unparsed
        // Read back by Assay, a null is NaN again (the report, compare and viewer read it so).
        var back = RunStore.readResults(run).suites().getFirst().metrics().stream().filter(m -> m.name().equals("match_prob")).findFirst().orElseThrow();
        assertThat(back.value()).isNaN();
        assertThat(back.ciLow()).isNaN();
    }
}
