package dev.assay.cli.compare;

import dev.assay.cli.Main;
import dev.assay.cli.report.RunFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void comparesSharedItemsWithHandComputedDifferencesAndListsTheMostChanged() throws Exception {
        RunFixtures f = new RunFixtures(dir);
        Path store = dir.resolve("store");
        // Items q1..q8 (alpha q1–q4, beta q5–q8); P(matching) in A and in B.
        String a = f.run(store, new double[]{0.2, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.9}, Map.of()).id();
        String b = f.run(store, new double[]{0.6, 0.4, 0.6, 0.3, 0.2, 0.9, 0.8, 0.9}, Map.of("sweep.label", "tuned")).id();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "compare", a, b, "--out", store.toString(), "--top", "3");
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("A = " + a).contains("B = " + b).contains("(tuned)");
        // match_prob: d = 0.4, 0, 0, −0.5, −0.5, 0, 0.1, 0 → mean −0.0625; Σ(d − d̄)² = 0.63875, se = √(0.63875/7/8);
        // t(0.975, 7) = 2.364624.
        double se = Math.sqrt(0.63875 / 7 / 8);
        String probRow = line(text, "match_prob ");
        assertThat(probRow).contains(" 8 ", "0.6500", "0.5875", "-0.0625",
                String.format(Locale.ROOT, "[%+.4f, %+.4f]", -0.0625 - 2.364624251592785 * se, -0.0625 + 2.364624251592785 * se),
                String.format(Locale.ROOT, "paired t=%.2f", -0.0625 / se));
        // match_top: A 0,0,1,1,1,1,1,1; B 1,0,1,0,0,1,1,1 → 2 went 1→0, 1 went 0→1; p = 2·P(X ≤ 1 | Bin(3, ½)) = 1.
        String topRow = line(text, "match_top ");
        assertThat(topRow).contains("0.7500", "0.6250", "-0.1250", "McNemar 2↓1↑", "1.0000");
        // Most changed: q4 and q5 (−0.5) before q1 (+0.4); q7 (+0.1) is cut by --top 3.
        String most = text.substring(text.indexOf("items that changed most in match_prob"));
        assertThat(most).contains("(4 of 8 changed)");
        assertThat(most.indexOf("q4")).isLessThan(most.indexOf("q5"));
        assertThat(most.indexOf("q5")).isLessThan(most.indexOf("q1 "));
        assertThat(most.substring(0, most.indexOf("items that changed most in match_top"))).doesNotContain("q7");
        // Quantile shifts from the results' sketches (exact at 8 values): A sorted 0.2 0.4 0.6 0.7 0.7 0.8 0.9 0.9,
        // B sorted 0.2 0.3 0.4 0.6 0.6 0.8 0.9 0.9; the median is the 4th value: 0.7 → 0.6.
        String shift = text.lines().filter(l -> l.contains("score/match_prob")).findFirst().orElseThrow();
        assertThat(text.indexOf("quantile shifts")).isLessThan(text.indexOf(shift));
        assertThat(shift).contains("0.700 → 0.600 (-0.100)");
    }

    @Test
    void runsWithoutSharedItemsAreAUserError() throws Exception {
        RunFixtures f = new RunFixtures(dir);
        Path store = dir.resolve("store");
        String a = f.run(store, new double[]{0.2, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.9}, Map.of()).id();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "compare", a, a, "--out", store.toString(), "--score", "nonesuch");
        assertThat(code).isEqualTo(dev.assay.ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("share no scored items with score [nonesuch]");
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing) && l.startsWith("test/")).findFirst().orElseThrow();
    }
}
