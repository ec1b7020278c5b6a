package dev.assay.llama;

import dev.assay.model.ModelCallException;

import java.nio.file.Path;

/**
 * Token-level access to one llama.cpp model, opened exactly as {@link LlamaModel} opens it, for code outside
 * this package that must tokenize as the engine does and read its raw logits: the model-organism trainer
 * (assay-organisms) tokenizes its training data through it, and its logit-equality test compares the
 * engine's logits with the trainer's forward pass. One caller at a time (tokenization is thread-safe).
 */
public final class EngineProbe implements AutoCloseable {
    private final Engine engine;

    private EngineProbe(Engine engine) {
        this.engine = engine;
    }

    /** Opens {@code gguf} with {@code ctx} positions, one sequence, {@code threads} threads, as LlamaModel does (F16 KV cache). */
    public static EngineProbe open(Path gguf, int ctx, int threads) {
        return open(gguf, ctx, threads, false);
    }

    /**
     * As {@link #open(Path, int, int)}; {@code f32Cache} keeps K and V in F32 rather than llama.cpp's default
     * F16, which otherwise rounds keys, values, queries and attention weights to 11 significant bits inside
     * attention (the only deliberate precision loss of an F32 model's forward pass).
     */
    public static EngineProbe open(Path gguf, int ctx, int threads, boolean f32Cache) {
        return new EngineProbe(new Engine(gguf, ctx, threads, 1, Math.min(128, ctx), 0, f32Cache));
    }

    /** llama.cpp's tokenization of {@code text}; {@code special}: parse special tokens such as {@code <|im_start|>}. */
    public int[] tokenize(String text, boolean special) {
        return engine.tokenize(text, special);
    }

    /** The bytes token {@code token} stands for. */
    public byte[] pieceBytes(int token) {
        return engine.pieceBytes(token);
    }

    public int vocabularySize() {
        return engine.nVocab;
    }

    public int contextTokens() {
        return engine.nCtx;
    }

    /** The end-of-sequence token (SmolLM2: {@code <|im_end|>}). */
    public int eos() {
        return engine.eos;
    }

    public boolean isEndOfGeneration(int token) {
        return engine.isEndOfGeneration(token);
    }

    /** A metadata value as llama.cpp reads it (null when absent). */
    public String metadata(String key) {
        return engine.metadata(key);
    }

    /** The raw logits (full vocabulary) after {@code tokens}, decoded from an empty cache in one batch. */
    public float[] logits(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens");
        if (tokens.length > engine.nBatch) throw engine.contextTooSmall(tokens.length);
        engine.reset();
        for (int p = 0; p < tokens.length; p++) engine.add(tokens[p], p, 0, p == tokens.length - 1);
        int status = engine.decode();
        if (status != 0) {
            engine.reset();
            throw new ModelCallException("llama_decode returned " + status);
        }
        float[] row = engine.logits(tokens.length - 1).clone();
        engine.reset();
        return row;
    }

    @Override
    public void close() {
        engine.close();
    }
}
