package dev.assay.suite;

/**
 * What --dry-run can say ahead of a run about a suite whose calls depend on what the model writes (the
 * cot/… suites answer once per sentence of every sampled chain): generate calls, answer calls (scored, or
 * generated where the model cannot score), and prompt and completion tokens, under the stated
 * {@code assumptions}. Tokens are estimates made without the model's tokenizer (a dry run opens no model).
 */
public record CallEstimate(long generateCalls, long answerCalls, long promptTokens, long completionTokens, String assumptions) {
    public static final CallEstimate NONE = new CallEstimate(0, 0, 0, 0, "");

    public CallEstimate plus(CallEstimate o) {
        return new CallEstimate(generateCalls + o.generateCalls, answerCalls + o.answerCalls, promptTokens + o.promptTokens,
                completionTokens + o.completionTokens, assumptions.isEmpty() ? o.assumptions : assumptions);
    }

    public CallEstimate times(long k) {
        return new CallEstimate(generateCalls * k, answerCalls * k, promptTokens * k, completionTokens * k, assumptions);
    }
}
