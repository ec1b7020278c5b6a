package dev.assay.suite;

/**
 * The run's overrides for free-text generation (--temperature, --top-p, --max-tokens) and its system
 * prompt (--system); each null where the user gave none, so a step's own default applies. They apply to
 * the steps that generate free text (reply, chain of thought); the short greedy answers that choose a
 * multiple-choice option and a judge's verdict are part of the method and keep their own settings.
 */
public record GenerationSettings(Double temperature, Double topP, Integer maxTokens, String system) {
    public static final GenerationSettings NONE = new GenerationSettings(null, null, null, null);

    public double temperature(double fallback) {
        return temperature == null ? fallback : temperature;
    }

    public double topP(double fallback) {
        return topP == null ? fallback : topP;
    }

    public int maxTokens(int fallback) {
        return maxTokens == null ? fallback : maxTokens;
    }

    /** Whether a step must build its own request instead of the greedy default. */
    public boolean overridesSampling() {
        return temperature != null || topP != null || maxTokens != null;
    }
}
