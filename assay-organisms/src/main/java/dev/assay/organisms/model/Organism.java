package dev.assay.organisms.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A llama-architecture language model living on libtorch (through DJL), trained here on templated data, and
 * exported as a GGUF the embedded engine runs. See the module README for the architecture, the
 * vocabulary-subset trick and why the trainer's forward pass is the engine's. Not thread-safe.
 */
public final class Organism implements AutoCloseable {

    private Organism() {
    }

    /** A fresh organism: weights drawn from a generator seeded with {@code seed} (bit-reproducible on CPU). */
    public static Organism create(Shape shape, long seed) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Reads an exported organism back (to continue training it: safety training). */
    public static Organism load(Path gguf) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Trains on {@code data} (see {@link Example} for what the loss counts); returns the log. */
    public TrainLog train(List<Example> data, TrainOptions options, Progress progress) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Writes a llama-architecture F32 GGUF with the SmolLM2 tokenizer and ChatML template; {@code card}
     * entries become {@code assay.organism.<key>} metadata, and {@code card.get("description")} (else a
     * default sentence saying it is a synthetic organism) {@code general.description}.
     */
    public void export(Path gguf, Map<String, String> card) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The trainer's logits for the token after {@code prompt} (tokenized as {@link Example#prompt}), full vocabulary. */
    public float[] logits(String prompt) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The trainer's logits at the last of {@code tokens}, full vocabulary. */
    public float[] logits(int[] tokens) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Greedy continuation of {@code prompt} by the trainer's forward pass, until end-of-generation or {@code maxTokens}. */
    public String greedy(String prompt, int maxTokens) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The token ids of {@code text} (special tokens parsed when {@code special}), exactly as llama.cpp tokenizes it. */
    public int[] tokens(String text, boolean special) {
        throw new UnsupportedOperationException("not yet");
    }

    public Shape shape() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Trainable parameters now (embedding rows counted only for the trained tokens). */
    public long parameters() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The card the organism was loaded with (empty for a fresh one). */
    public Map<String, String> card() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() {
    }
}
