package dev.assay.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreCommandTest {
    @TempDir
    Path tmp;

    @Test
    void unknownRunExitsTwoNamingTheStore() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "score", "20990101-000000-beef", "--out", tmp.toString());
        assertThat(code).isEqualTo(dev.assay.ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("no run '20990101-000000-beef'").contains(tmp.toString());
    }

    @Test
    void roleOptionIsParsedAsRoleToSpec() {
        ScoreCommand c = new ScoreCommand();
        new picocli.CommandLine(c).parseArgs("RUN", "--role", "judge=replay/j.jsonl");
        assertThat(c.run).isEqualTo("RUN");
        assertThat(c.roles).containsEntry("judge", "replay/j.jsonl");
    }
}
