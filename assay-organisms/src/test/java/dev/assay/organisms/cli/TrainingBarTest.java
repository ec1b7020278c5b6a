package dev.assay.organisms.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingBarTest {
    @Test
    void aLogGetsWholeLinesNotRedrawsAndATerminalGetsRedrawsInPlace() {
        StringWriter log = new StringWriter();
        TrainingBar toLog = new TrainingBar(new PrintWriter(log), "train x", false);
        for (int s = 1; s <= 500; s++) toLog.step(s, 500, 1.0 / s, 1000);
        // 500 steps within 10 s: only the last is written, as a line of its own
        assertFalse(log.toString().contains("\r"), log.toString());
        assertEquals(1, log.toString().lines().count(), log.toString());
        assertTrue(log.toString().startsWith("train x [" + "#".repeat(30) + "] 500/500 loss 0.0020 1,000 tok/s"), log.toString());

        StringWriter term = new StringWriter();
        TrainingBar toTerm = new TrainingBar(new PrintWriter(term), "train x", true);
        toTerm.step(1, 2, 0.5, 10);
        toTerm.step(2, 2, 0.25, 10);
        assertTrue(term.toString().startsWith("\rtrain x [###############...............] 1/2"), term.toString());
        assertTrue(term.toString().contains("\rtrain x [" + "#".repeat(30) + "] 2/2") && term.toString().endsWith("\n"), term.toString());
    }
}
