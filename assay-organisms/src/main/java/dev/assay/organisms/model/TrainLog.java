package dev.assay.organisms.model;

import java.util.List;

/**
 * What one {@link Organism#train} call did: the loss of every step (nats per completion token), tokens
 * processed (prompt and completion, padding excluded), wall time, and the options. Plain data, so it
 * serializes as JSON beside the model.
 *
 * @param trainedTokens vocabulary rows trained (the tokens the data of every training so far used, and
 *                      the end-of-generation token); every other row is zero
 */
public record TrainLog(List<Double> losses, long tokens, double seconds, double tokensPerSecond,
                       int trainedTokens, long parameters, TrainOptions options) {
    public TrainLog {
        losses = List.copyOf(losses);
    }

    /** Mean loss of the last {@code n} steps (fewer if there were fewer); NaN when there were none. */
    public double finalLoss(int n) {
        if (losses.isEmpty()) return Double.NaN;
        int from = Math.max(0, losses.size() - n);
        double s = 0;
        for (int i = from; i < losses.size(); i++) s += losses.get(i);
        return s / (losses.size() - from);
    }
}
