package dev.assay.organisms.model;

/** Called after every optimizer step (on the training thread). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (step, steps, loss, tokensPerSecond) -> { };

    /**
     * @param step            1-based step just finished
     * @param loss            that step's mean loss over its completion tokens (nats per token)
     * @param tokensPerSecond tokens (prompt + completion, padding excluded) processed per second so far
     */
    void step(int step, int steps, double loss, double tokensPerSecond);
}
