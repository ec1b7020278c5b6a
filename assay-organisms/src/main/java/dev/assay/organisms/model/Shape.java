package dev.assay.organisms.model;

/**
 * The sizes of an organism: a llama-architecture decoder with {@code layers} blocks of width {@code width},
 * {@code heads} attention heads (as many key/value heads: no grouped-query attention), a SwiGLU feed-forward
 * layer of {@code ffn} units and at most {@code context} positions. The vocabulary is always SmolLM2's
 * (49,152 tokens); see {@link Organism} for how only the tokens the data uses are trained.
 */
public record Shape(int layers, int width, int heads, int ffn, int context) {
    /** RoPE base written to the GGUF (llama.rope.freq_base) and used by the trainer. */
    public static final double ROPE_BASE = 10000.0;
    /** RMSNorm epsilon written to the GGUF (llama.attention.layer_norm_rms_epsilon) and used by the trainer. */
    public static final double RMS_EPS = 1e-5;

    public Shape {
        if (layers < 1 || width < 2 || heads < 1 || ffn < 1 || context < 2) {
            throw new IllegalArgumentException("bad organism shape " + layers + " layers, width " + width + ", "
                    + heads + " heads, ffn " + ffn + ", context " + context);
        }
        if (width % heads != 0 || (width / heads) % 2 != 0) {
            throw new IllegalArgumentException("width " + width + " must be a multiple of 2 × heads (" + heads
                    + "): RoPE rotates pairs of each head's dimensions");
        }
    }

    /** The default organism: 2 layers of width 128, 4 heads, ffn 384, 256 positions. */
    public static Shape small() {
        return new Shape(2, 128, 4, 384, 256);
    }

    /** A larger organism for the persistence experiment's second size: 4 layers of width 192. */
    public static Shape medium() {
        return new Shape(4, 192, 6, 512, 256);
    }

    /** The shape of the fast tests: 2 layers of width 32. */
    public static Shape tiny() {
        return new Shape(2, 32, 2, 64, 64);
    }

    public int headDim() {
        return width / heads;
    }
}
