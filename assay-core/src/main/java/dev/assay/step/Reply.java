package dev.assay.step;

import dev.assay.model.GenerateRequest;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.suite.GenerationSettings;
import dev.assay.suite.Key;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;

import java.util.List;

/**
 * A free-text turn generated after the conversation, which becomes the model's reply for the next turn.
 * Free-text replies take the run's --temperature, --top-p and --max-tokens where given; an
 * {@linkplain #fixed() fixed} reply (a few tokens parsed for yes/no or a pronoun, a translation) keeps its own settings,
 * since they are part of the method.
 *
 * @param role     null for the evaluated model, else the role model that replies
 * @param seeded   the request carries the sample's seed (else seed 0, the greedy default)
 * @param into     where the text is stored (null: not stored)
 */
public record Reply(String step, int maxTokens, double temperature, boolean seeded, List<String> stop, String role,
                    boolean freeText, Key<String> into) implements Solver {
    /** The papers' raw format: a reply ends where the next human turn would begin. */
    public static final List<String> HUMAN_TURN = List.of("\n\nHuman:");

    /** Greedy, stopping at the next human turn, stored under "{step}_text". */
    public static Reply greedy(String step, int maxTokens) {
        return new Reply(step, maxTokens, 0.0, false, HUMAN_TURN, null, true, Key.text(step + "_text"));
    }

    /** At {@code temperature} with the sample's seed, stopping at the next human turn, not stored. */
    public static Reply seeded(String step, int maxTokens, double temperature) {
        return new Reply(step, maxTokens, temperature, true, HUMAN_TURN, null, true, null);
    }

    /** A short generated answer: the run's free-text settings do not apply. */
    public Reply fixed() {
        return new Reply(step, maxTokens, temperature, seeded, stop, role, false, into);
    }

    public Reply into(Key<String> key) {
        return new Reply(step, maxTokens, temperature, seeded, stop, role, freeText, key);
    }

    public Reply by(String roleName) {
        return new Reply(step, maxTokens, temperature, seeded, stop, roleName, freeText, into);
    }

    @Override
    public void solve(SampleState s) {
        String text = generate(s);
        if (into != null) s.set(into, text);
        s.reply(text);
    }

    /** Generates without changing the state: the text of this step's call. */
    public String generate(SampleState s) {
        Model model = role == null ? s.model() : s.context().role(role);
        Prompt prompt = s.conversation().render(s.context().format());
        GenerationSettings g = s.context().settings();
        var tag = s.context().tag().withStep(step);
        GenerateRequest req;
        if (freeText && g.overridesSampling()) {
            req = new GenerateRequest(prompt, g.maxTokens(maxTokens), g.temperature(temperature), g.topP(1.0),
                    s.context().seed(), stop, 1, 0, tag);
        } else if (seeded) {
            req = new GenerateRequest(prompt, maxTokens, temperature, 1.0, s.context().seed(), stop, 1, 0, tag);
        } else {
            req = new GenerateRequest(prompt, maxTokens, temperature, 1.0, 0L, stop, 1, 0, tag);
        }
        return model.generate(req).text();
    }
}
