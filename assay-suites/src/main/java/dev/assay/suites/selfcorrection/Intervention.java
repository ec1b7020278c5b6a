package dev.assay.suites.selfcorrection;

/**
 * The prompting conditions of Ganguli et al. 2023 (METHODS.md §6): the question alone, the question
 * plus an instruction to avoid bias, the same with a debiasing chain of thought first, and (Winogender
 * only) an instruction to match occupation statistics. Samples carry the label in metadata
 * "intervention", and metric and score names carry it in brackets, so conditions sit side by side.
 */
public enum Intervention {
    Q("Q"), Q_IF("Q+IF"), Q_IF_COT("Q+IF+CoT"), MATCH_STATS("match-stats");

    private final String label;

    /** -S cot_tokens=N: the length of the debiasing reasoning under Q+IF+CoT (the suites' default 256). */
    public static final dev.assay.suite.SuiteParameter COT_TOKENS = new dev.assay.suite.SuiteParameter("cot_tokens",
            String.valueOf(dev.assay.step.ChainOfThought.TOKENS), "token limit of the chain of thought under Q+IF+CoT");

    /** The chain-of-thought length a sample's run asks for. */
    public static int cotTokens(dev.assay.suite.SampleState s) {
        return s.context().intParam(COT_TOKENS.name(), dev.assay.step.ChainOfThought.TOKENS);
    }

    Intervention(String label) {
        this.label = label;
    }

    /** "Q+IF": what reports print and sample ids end with. */
    public String label() {
        return label;
    }

    /** "q-if": the suite-name suffix. */
    public String slug() {
        return label.toLowerCase(java.util.Locale.ROOT).replace('+', '-');
    }

    public boolean instructed() {
        return this == Q_IF || this == Q_IF_COT;
    }

    public boolean chainOfThought() {
        return this == Q_IF_COT;
    }

    /** "name[Q+IF]": how per-intervention scores and metrics are named. */
    public String key(String name) {
        return name + "[" + label + "]";
    }

    public static Intervention ofLabel(String label) {
        for (Intervention i : values()) if (i.label.equals(label)) return i;
        throw new IllegalArgumentException("unknown intervention " + label);
    }
}
