package dev.assay.organisms.cli;

import dev.assay.organisms.model.Progress;

import java.io.PrintWriter;
import java.util.Locale;

/** The training progress bar on stderr: steps, the step's loss, tokens/s and the time left; redrawn at most 5 times a second. */
final class TrainingBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final long start = System.nanoTime();
    private long drawn;

    TrainingBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void step(int step, int steps, double loss, double tokensPerSecond) {
        long now = System.nanoTime();
        if (step < steps && now - drawn < 200_000_000L) return;
        drawn = now;
        err.print("\r" + line(label, step, steps, loss, tokensPerSecond, (now - start) / 1e9));
        if (step >= steps) err.println();
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
