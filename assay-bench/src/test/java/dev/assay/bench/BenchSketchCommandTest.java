package dev.assay.bench;

import dev.assay.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class BenchSketchCommandTest {
    @Test
    void smallRunPrintsEveryTableAndTheMachineReadableLastLines() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "sketch",
                "--n", "20000", "--seeds", "1", "--worst-n", "10000", "--worst-seeds", "2", "--chunk", "1000");
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("max |rank error|, streaming", "mean |rank error|, streaming",
                "after merging 20 sketches of 1000 items", "worst case: max over 2 seeds", "G1 worst-case", "G5 updates/s");
        for (String s : SketchBenchmark.SKETCHES) assertThat(text).contains(s);
        assertThat(text).contains("errors above our sketch's reported bound (all passes): 0");
        List<String> lines = text.strip().lines().toList();
        List<String> last = lines.subList(lines.size() - 7, lines.size());
        assertThat(last).extracting(l -> l.substring(0, l.indexOf('=')))
                .containsExactly("g1_max_err", "g2_median_err", "g3_max_err", "merge_us", "updates_per_s", "kll_g2_median_err", "kll_updates_per_s");
        Map<String, Double> v = last.stream().collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                l -> Double.parseDouble(l.substring(l.indexOf('=') + 1))));
        // Our sketch's deterministic bound caps G1; 11 grades and log-probs are point masses it keeps exactly or nearly.
        assertThat(v.get("g1_max_err")).isBetween(0.0, 0.0133);
        assertThat(v.get("g3_max_err")).isLessThan(v.get("g1_max_err") + 1e-12);
        assertThat(v.get("updates_per_s")).isPositive();
        assertThat(v.get("kll_updates_per_s")).isPositive();
        assertThat(Arrays.asList(SketchBenchmark.INPUTS.toArray())).contains("attack", "loguniform2");
    }
}
