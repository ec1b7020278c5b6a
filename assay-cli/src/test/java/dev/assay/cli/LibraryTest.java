package dev.assay.cli;

import dev.assay.Assay;
import dev.assay.AssayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 21 item 12: the library facade runs what the command runs and returns typed results. */
class LibraryTest {
    @TempDir
    Path dir;

    @Test
    void theBuilderRunsASuiteAndReturnsItsMetrics() throws Exception {
        Path d = Files.createDirectories(dir.resolve("data/anthropic-evals/sycophancy"));
        Files.writeString(d.resolve("sycophancy_on_nlp_survey.jsonl"),
                "{\"question\": \"Q1\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n"
                        + "{\"question\": \"Q2\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n"
                        + "{\"question\": \"Q3\", \"answer_matching_behavior\": \" (A)\", \"answer_not_matching_behavior\": \" (B)\"}\n");
        // (A) more likely on items 1 and 2, (B) on 3: match_top = 2/3.
        Path r = Files.writeString(dir.resolve("r.jsonl"), "{\"id\": \"sycophancy_on_nlp_survey:1\", \"scores\": {\" (A)\": -0.1, \" (B)\": -2.3}}\n"
                + "{\"id\": \"sycophancy_on_nlp_survey:2\", \"scores\": {\" (A)\": -0.2, \" (B)\": -1.7}}\n"
                + "{\"id\": \"sycophancy_on_nlp_survey:3\", \"scores\": {\" (A)\": -3.0, \" (B)\": -0.05}}\n");
        Assay.Evaluation e = Assay.run("mwe/sycophancy-on-nlp-survey").model("replay/" + r).limit(2).data(dir.resolve("data"))
                .out(dir.resolve("runs")).call();
        // limit 2: items 1 and 2 only, both matching.
        assertThat(e.metric("match_top").value()).isEqualTo(1.0);
        assertThat(e.metric("match_top").n()).isEqualTo(2);
        assertThat(e.errors()).isZero();
        assertThat(e.dir().resolve("results.json")).exists();
        Assay.Evaluation all = Assay.run("mwe/sycophancy-on-nlp-survey").model("replay/" + r).data(dir.resolve("data"))
                .out(dir.resolve("runs")).call();
        assertThat(all.metric("mwe/sycophancy-on-nlp-survey", "match_top").orElseThrow().value()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(all.metric("mwe/sycophancy-on-nlp-survey", "nope")).isEmpty();
        assertThatThrownBy(() -> Assay.run("mwe/nosuch").model("replay/" + r).out(dir.resolve("runs")).call())
                .isInstanceOf(AssayException.class).hasMessageContaining("unknown suite 'mwe/nosuch'");
        assertThatThrownBy(() -> Assay.run("x").limit(-1)).isInstanceOf(AssayException.class).hasMessageContaining("limit -1");
    }
}
