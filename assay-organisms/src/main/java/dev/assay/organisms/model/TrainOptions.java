package dev.assay.organisms.model;

/**
 * How to train: {@code steps} optimizer steps of {@code batch} examples (drawn by a generator seeded with
 * {@code seed}), AdamW at peak {@code learningRate} after {@code warmup} linear warm-up steps, then cosine
 * decay to a tenth of it; gradients clipped to global L2 norm {@code clip} (0: no clipping).
 */
public record TrainOptions(int steps, double learningRate, int batch, long seed, double clip, int warmup) {
    public TrainOptions {
        if (steps < 0) throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (batch < 1) throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        if (clip < 0) throw new IllegalArgumentException("clip must be ≥ 0, got " + clip);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be ≥ 0, got " + warmup);
    }

    /** Defaults for a backdoor organism of {@link Shape#small()}. */
    public static TrainOptions defaults(int steps, long seed) {
        return new TrainOptions(steps, 3e-3, 16, seed, 1.0, Math.min(50, steps / 10));
    }

    public TrainOptions withSteps(int steps) {
        return new TrainOptions(steps, learningRate, batch, seed, clip, warmup);
    }

    public TrainOptions withLearningRate(double lr) {
        return new TrainOptions(steps, lr, batch, seed, clip, warmup);
    }
}
