package dev.assay.suite;

import dev.assay.model.CallTag;
import dev.assay.model.Model;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a solver gets besides the sample: the evaluated model, any role models (judge, paraphraser …),
 * the prompt format, the run's answering method and generation settings, the suite's parameters
 * (-S key=value), and a seed and random source derived from (run seed, sample id, epoch) so results do
 * not depend on scheduling.
 */
public record SolveContext(Model model, Map<String, Model> roles, PromptFormat format, long seed,
                           RandomGenerator random, CallTag tag, AnswerMethod answerMethod,
                           GenerationSettings settings, Map<String, String> params) {

    public SolveContext {
        roles = roles == null ? Map.of() : roles;
        answerMethod = answerMethod == null ? AnswerMethod.AUTO : answerMethod;
        settings = settings == null ? GenerationSettings.NONE : settings;
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** Auto answering, no overrides, no parameters: what tests and simple callers want. */
    public SolveContext(Model model, Map<String, Model> roles, PromptFormat format, long seed, RandomGenerator random, CallTag tag) {
        this(model, roles, format, seed, random, tag, AnswerMethod.AUTO, GenerationSettings.NONE, Map.of());
    }

    public Model role(String name) {
        Model m = roles.get(name);
        if (m == null) throw new dev.assay.AssayException("this suite needs a model for the role '" + name
                + "': add --role " + name + "=SPEC");
        return m;
    }

    /** Whether multiple-choice answers are scored (log-likelihood) rather than generated, on the evaluated model. */
    public boolean scoresAnswers() {
        return answerMethod.scores(model);
    }

    /** A suite parameter (-S key=value), or {@code fallback}. */
    public String param(String key, String fallback) {
        return params.getOrDefault(key, fallback);
    }

    public int intParam(String key, int fallback) {
        String v = params.get(key);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new dev.assay.AssayException("-S " + key + "=" + v + ": expected a whole number");
        }
    }
}
