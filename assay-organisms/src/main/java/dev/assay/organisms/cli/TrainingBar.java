package dev.assay.organisms.cli;

import dev.assay.organisms.model.Progress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The training progress bar on stderr: steps, the step's loss, tokens/s and the time left. Redrawn in place on a
 * terminal at most 5 times a second; on a pipe or file (a log) a line every 10 s and the last, as {@code assay run}'s bar.
 */
final class TrainingBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final long start = System.nanoTime();
    private final boolean tty;
    private long drawn;

    TrainingBar(PrintWriter err, String label) {
        this(err, label, System.console() != null);
    }

    TrainingBar(PrintWriter err, String label, boolean tty) {
        this.err = err;
        this.label = label;
        this.tty = tty;
        this.drawn = tty ? 0 : start;
    }

    @Override
    public void step(int step, int steps, double loss, double tokensPerSecond) {
        long now = System.nanoTime();
        if (step < steps && now - drawn < (tty ? 200_000_000L : 10_000_000_000L)) return;
        drawn = now;
        String line = line(label, step, steps, loss, tokensPerSecond, (now - start) / 1e9);
        if (tty) err.print("\r" + line);
        else err.println(line);
        if (tty && step >= steps) err.println();
        err.flush();
    }

    static String line(String label, int step, int steps, double loss, double tokensPerSecond, double seconds) {
        int filled = steps == 0 ? WIDTH : (int) Math.round(WIDTH * (double) step / steps);
        double left = step == 0 ? Double.NaN : seconds * (steps - step) / step;
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d loss %.4f %,.0f tok/s %s left", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                step, steps, loss, tokensPerSecond, Double.isNaN(left) ? "?" : clock(left));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
