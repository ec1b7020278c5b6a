package dev.assay.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One command line through the real picocli entry point ({@link Main#execute}), its exit code and both streams. */
record CliRun(int code, String out, String err) {
    static CliRun assay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The id of the run the command printed ("run ID → …"). */
    String runId() {
        Matcher m = Pattern.compile("run (\\S+) → ").matcher(out);
        assertThat(m.find()).as(out + err).isTrue();
        return m.group(1);
    }
}
