package dev.assay.bench;

import dev.assay.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** assay-cli knows no benchmark by name: the five reach `assay bench` only through META-INF/services. */
class RegistrationTest {
    @Test
    void assayBenchListsEveryBenchmarkAndEachAnswersHelp() {
        var out = new StringWriter();
        var err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^\\s+http\\b").containsPattern("(?m)^\\s+view\\b")
                .containsPattern("(?m)^\\s+engine\\b").containsPattern("(?m)^\\s+sandbox\\b")
                .containsPattern("(?m)^\\s+sketch\\b").containsPattern("(?m)^\\s+store\\b");
        for (String b : new String[]{"http", "view", "engine", "sandbox", "sketch", "store"}) {
            var help = new StringWriter();
            assertThat(Main.execute(new PrintWriter(help, true), new PrintWriter(err, true), "bench", b, "--help")).isZero();
            assertThat(help.toString()).startsWith("Usage: assay bench " + b);
        }
    }
}
