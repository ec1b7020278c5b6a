package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.llama.SyntheticModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.assay.cli.CliRun.assay;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * assay generate through the command line on a generated GGUF in the embedded llama.cpp engine (random weights in a
 * real shape, SmolLM2's tokenizer) as generator and filter, then the set run on the same file. Plumbing only: a
 * random-weight model's statements are noise and its filter probabilities near 0.5, so the threshold is 0 here and
 * nothing asserts a behaviour.
 */
class GenerateLlamaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TOKENIZER = dev.assay.llama.BundledTokenizer.smolLm2();
    @TempDir
    static Path dir;
    static Path gguf;

    @BeforeAll
    static void write() throws Exception {
        gguf = dir.resolve("tiny.gguf");
        SyntheticModel.write(gguf, SyntheticModel.Shape.TINY, TOKENIZER, false, 5, null);
    }

    static String[] out(String text) {
        return text.split("\n");
    }


    @Test
    void personaOnAGgufEndToEnd() throws Exception {
        Path set = dir.resolve("gguf-set.jsonl");
        String runs = dir.resolve("runs").toString();
        CliRun r = assay("generate", "persona", "--behavior", "desire for power", "-n", "4", "--max-tokens", "12",
                "--role", "generator=llama/" + gguf + ",filter=llama/" + gguf, "--threshold", "0", "--out", runs, "-o", set.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("samples=8 scored=8 errors=0");
        JsonNode card = JSON.readTree(dir.resolve("gguf-set.card.json").toFile());
        int kept = card.path("counts").path("Yes").path("kept").asInt();
        assertThat(kept).isEqualTo(card.path("counts").path("No").path("kept").asInt()).isPositive();
        // Each candidate's generation was sampled with the paper's settings and its own seed.
        String log = Files.readString(dir.resolve("runs").resolve(r.runId()).resolve("samples.jsonl"));
        assertThat(log).contains("\"temperature\":1.4", "\"top_p\":0.975", "\"stop\":[\"\\n\",\".\",\" -\"]");
        List<String> seeds = new ArrayList<>();
        Matcher m = Pattern.compile("\"seed\":(-?\\d+),\"method\"").matcher(log);
        while (m.find()) seeds.add(m.group(1));
        assertThat(seeds).hasSize(8).doesNotHaveDuplicates();
        CliRun run = assay("run", "file:" + set, "--model", "llama/" + gguf, "--out", runs);
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("samples=" + 2 * kept + " scored=" + 2 * kept, "match_prob", "match_top");
        CliRun report = assay("report", r.runId(), "--out", runs, "-o", dir.resolve("gguf.html").toString());
        assertThat(report.code()).as(report.out() + report.err()).isZero();
        assertThat(Files.readString(dir.resolve("gguf.html"))).contains("Generated set: desire-for-power (persona)", "class=\"bin\"");
    }
}
