package dev.assay.suites.selfcorrection;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.SolveContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A model whose answers the test writes: log-probs as a function of (prompt text, continuation), or
 * text as a function of the request. Records every prompt so tests can check what the suite sent.
 */
public final class ScriptedModel implements Model {
    private final BiFunction<String, String, Double> logprob;
    private final Function<GenerateRequest, String> text;
    public final List<String> prompts = new ArrayList<>();
    /** Role models (e.g. "translator") the solve context offers. */
    public final Map<String, Model> roles = new java.util.HashMap<>();

    private ScriptedModel(BiFunction<String, String, Double> logprob, Function<GenerateRequest, String> text) {
        this.logprob = logprob;
        this.text = text;
    }

    public static ScriptedModel scoring(BiFunction<String, String, Double> logprob) {
        return new ScriptedModel(logprob, r -> " I think so.");
    }

    public static ScriptedModel scoring(BiFunction<String, String, Double> logprob, Function<GenerateRequest, String> text) {
        return new ScriptedModel(logprob, text);
    }

    public static ScriptedModel generating(Function<GenerateRequest, String> text) {
        return new ScriptedModel(null, text);
    }

    public SolveContext context(String sampleId) {
        return new SolveContext(this, roles, PromptFormat.RAW, 7L, new SplittableRandom(7L),
                new dev.assay.model.CallTag(sampleId, 0, ""));
    }

    @Override
    public String spec() {
        return "scripted/test";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(logprob != null, true, true, true, 0, 0, 0);
    }

    @Override
    public Generation generate(GenerateRequest request) {
        prompts.add(textOf(request.prompt()));
        List<Generation.Completion> out = new ArrayList<>();
        for (int i = 0; i < request.n(); i++) out.add(new Generation.Completion(text.apply(request), "stop", List.of()));
        return new Generation(out, 0, 0);
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        if (logprob == null) throw new UnsupportedOperationException("cannot score");
        String p = textOf(request.prompt());
        prompts.add(p);
        return request.continuations().stream().map(c -> ContinuationScore.of(logprob.apply(p, c))).toList();
    }

    public static String textOf(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Text t -> t.text();
            case Prompt.Chat c -> c.messages() + " | " + c.prefill();
        };
    }
}
