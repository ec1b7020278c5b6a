package dev.assay.run;

import dev.assay.suite.AnswerMethod;
import dev.assay.suite.GenerationSettings;

import java.util.Map;

/**
 * The run-level axes and settings besides suites and models, recorded in the run header.
 *
 * @param answerMethod "auto", "loglik" or "generate" (--answer-method)
 * @param temperature  --temperature for free-text steps, or null
 * @param topP         --top-p, or null
 * @param maxTokens    --max-tokens for free-text steps, or null
 * @param system       --system prompt, or null
 * @param params       suite parameters (-S key=value)
 * @param prices       role ("model" for the evaluated model) → "IN:OUT" USD per million prompt:completion tokens (--price)
 */
public record RunSettings(String answerMethod, Double temperature, Double topP, Integer maxTokens, String system,
                          Map<String, String> params, Map<String, String> prices) {
    public static final RunSettings DEFAULTS = new RunSettings("auto", null, null, null, null, Map.of(), Map.of());

    public RunSettings {
        answerMethod = AnswerMethod.of(answerMethod).wire();
        params = params == null ? Map.of() : Map.copyOf(params);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    public AnswerMethod method() {
        return AnswerMethod.of(answerMethod);
    }

    public GenerationSettings generation() {
        return new GenerationSettings(temperature, topP, maxTokens, system);
    }
}
