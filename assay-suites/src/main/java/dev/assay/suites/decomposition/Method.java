package dev.assay.suites.decomposition;

/** The reasoning methods of Radhakrishnan et al. 2023 that Assay runs, by suite name. */
enum Method {
    FEW_SHOT("few-shot", "few-shot prompting, no reasoning"),
    COT("cot", "chain of thought: step-by-step reasoning in one sample"),
    COT_DECOMPOSITION("cot-decomposition", "chain-of-thought decomposition: subquestions and their answers in one sample"),
    FACTORED("factored", "factored decomposition: subquestions answered in fresh contexts, then recomposed");

    final String id;
    final String description;

    Method(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** Whether the method writes reasoning that truncation and mistakes apply to. */
    boolean reasons() {
        return this != FEW_SHOT;
    }

    boolean decomposes() {
        return this == COT_DECOMPOSITION || this == FACTORED;
    }
}
