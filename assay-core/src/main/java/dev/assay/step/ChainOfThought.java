package dev.assay.step;

import dev.assay.suite.Key;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;

/**
 * Reasoning before the answer: the model continues the conversation (which ends with a reasoning
 * opener such as "Let's think about how to answer…"), then the user asks the question again and the
 * assistant's answer starts with {@code answerPrefill}. Sampled with the sample's seed.
 *
 * @param into where the reasoning is stored (null: not stored)
 */
public record ChainOfThought(String step, int maxTokens, double temperature, String question, String answerPrefill,
                             Key<String> into) implements Solver {
    /** Room for the papers' short reasoning. */
    public static final int TOKENS = 256;

    public static ChainOfThought of(String step, String question, String answerPrefill) {
        return new ChainOfThought(step, TOKENS, 0.0, question, answerPrefill, null);
    }

    public ChainOfThought into(Key<String> key) {
        return new ChainOfThought(step, maxTokens, temperature, question, answerPrefill, key);
    }

    @Override
    public void solve(SampleState s) {
        String reasoning = Reply.seeded(step, maxTokens, temperature).generate(s);
        if (into != null) s.set(into, reasoning);
        s.conversation(s.conversation().then(reasoning, question, answerPrefill)).reply("");
    }
}
