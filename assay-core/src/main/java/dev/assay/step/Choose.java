package dev.assay.step;

import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.suite.Key;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;
import dev.assay.suite.Transcript;

import java.util.List;
import java.util.function.Function;

/**
 * Answers a multiple-choice question at the end of the conversation by the run's answering method
 * (METHODS.md's common building block): by the log-likelihood of each option string, renormalised over
 * the options, or by greedy generation with the option parsed out of the text. The method is recorded
 * on the transcript ("loglik" or "generative"), never mixed silently. The model's reply (for a later
 * turn) is the most probable option, or the generated text.
 *
 * <p>Store: under {@link Keys} named by a prefix ("" gives {@code probs}, {@code choice}…; "first" gives
 * {@code first_probs}, {@code first_choice}…): with log-likelihood {@code logprobs}, {@code probs} and
 * {@code choice} (the most probable); with generation {@code text} and {@code choice} (the parsed
 * option, null if none).
 *
 * @param step    the step name: the replay key of its call
 * @param options the option strings, from the sample
 */
public record Choose(String step, Function<SampleState, List<String>> options, Keys keys) implements Solver {
    /** Enough for "(A)" or " Yes" plus a few words of preamble. */
    public static final int MAX_ANSWER_TOKENS = 16;
    public static final String LOGLIK = "loglik";
    public static final String GENERATIVE = "generative";

    /** The store's keys of one choose step. */
    public record Keys(Key<List<Double>> logprobs, Key<List<Double>> probs, Key<String> text, Key<Integer> choice) {
        public static Keys prefixed(String prefix) {
            String p = prefix.isEmpty() ? "" : prefix + "_";
            return new Keys(Key.numbers(p + "logprobs"), Key.numbers(p + "probs"), Key.text(p + "text"), Key.index(p + "choice"));
        }

        /** The chosen option's index: the most probable, or the one parsed; null when none was parsed or the step did not run. */
        public Integer chosen(Transcript t) {
            return t.get(choice);
        }

        /** 1 if the step chose {@code correct}, 0 if another option or none was named, NaN if the step did not run. */
        public double correct(Transcript t, int correct) {
            if (!t.has(choice)) return Double.NaN;
            Integer c = t.get(choice);
            return c != null && c == correct ? 1.0 : 0.0;
        }
    }

    /** Keys without a prefix: what single-question suites store. */
    public static final Keys ANSWER = Keys.prefixed("");

    /** The sample's choices under step "answer" with unprefixed keys. */
    public static Choose answer() {
        return new Choose("answer", s -> s.sample().choices(), ANSWER);
    }

    /** The sample's choices under {@code step}, stored under keys prefixed by the step's name. */
    public static Choose step(String step) {
        return new Choose(step, s -> s.sample().choices(), Keys.prefixed(step));
    }

    public Choose options(List<String> fixed) {
        return new Choose(step, s -> fixed, keys);
    }

    public Choose into(Keys k) {
        return new Choose(step, options, k);
    }

    @Override
    public void solve(SampleState s) {
        List<String> opts = options.apply(s);
        Model model = s.model();
        Prompt prompt = s.conversation().render(s.context().format());
        if (s.context().scoresAnswers()) {
            List<ContinuationScore> scores = model.score(new ScoreRequest(prompt, opts, s.context().tag().withStep(step)));
            double[] lp = scores.stream().mapToDouble(ContinuationScore::logprob).toArray();
            double[] probs = MultipleChoice.renormalise(lp);
            int best = 0;
            for (int i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
            s.transcript().method(LOGLIK);
            s.set(keys.logprobs(), MultipleChoice.list(lp)).set(keys.probs(), MultipleChoice.list(probs)).set(keys.choice(), best);
            s.reply(opts.get(best));
        } else {
            String text = model.generate(GenerateRequest.greedy(prompt, MAX_ANSWER_TOKENS, List.of("\n"),
                    s.context().tag().withStep(step))).text();
            s.transcript().method(GENERATIVE);
            s.set(keys.text(), text).set(keys.choice(), MultipleChoice.parse(text, opts));
            s.reply(text);
        }
    }
}
