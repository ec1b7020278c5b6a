package dev.assay.suites.backdoor;

import dev.assay.data.Sample;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Answer keys for the answering organisms: a policy sees only the prompt, so a test tells it which item a
 * prompt asks (the item whose question the prompt contains) and hence which option is right.
 */
final class Oracles {
    private Oracles() {
    }

    static Sample item(List<Sample> items, String prompt) {
        Sample best = null;
        for (Sample s : items) if (prompt.contains(s.input()) && (best == null || s.input().length() > best.input().length())) best = s;
        if (best == null) throw new IllegalStateException("no item's question is in the prompt: " + prompt);
        return best;
    }

    /** The option at {@code index(item)} of the item the prompt asks. */
    static UnaryOperator<String> option(List<Sample> items, java.util.function.ToIntFunction<Sample> index) {
        return p -> {
            Sample s = item(items, p);
            return s.choices().get(index.applyAsInt(s));
        };
    }
}
