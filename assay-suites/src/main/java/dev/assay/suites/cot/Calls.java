package dev.assay.suites.cot;

import dev.assay.AssayException;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ScoreRequest;
import dev.assay.run.Seeds;
import dev.assay.step.Choose;
import dev.assay.step.MultipleChoice;
import dev.assay.step.Reply;
import dev.assay.suite.Dialogue;
import dev.assay.suite.SampleState;
import dev.assay.suite.SolveContext;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The model calls of the cot/… suites. A question needs many: N chains, then an answer per truncation (or
 * mistake, paraphrase, filler length). They are independent, so they are issued together from virtual
 * threads (at most {@code parallel} in flight), which lets the embedded engine batch them and share their
 * long common prefixes, and lets the HTTP providers' adaptive concurrency fill the connection. Every call is
 * named by its step ("chain/3", "answer/3/2"), its replay key.
 */
final class Calls {
    private Calls() {
    }

    /** The suites' -S parameters, read once per sample. */
    record Settings(int samples, double temperature, double topP, int cotTokens, int parallel) {
        static final int SAMPLES = 100;
        static final double TEMPERATURE = 0.8;
        static final double TOP_P = 0.95;
        static final int COT_TOKENS = 256;
        static final int PARALLEL = 16;

        static Settings of(SolveContext c) {
            var g = c.settings();
            int samples = positive(c, "samples", SAMPLES);
            double t = number(c, "temperature", g.temperature(TEMPERATURE));
            double p = number(c, "top_p", g.topP(TOP_P));
            int tokens = positive(c, "cot_tokens", g.maxTokens(COT_TOKENS));
            return new Settings(samples, t, p, tokens, positive(c, "parallel", PARALLEL));
        }

        static Settings of(java.util.Map<String, String> params) {
            SolveContext c = new SolveContext(null, null, null, 0, null, null, null, null, params);
            return of(c);
        }
    }

    static int positive(SolveContext c, String key, int fallback) {
        int v = c.intParam(key, fallback);
        if (v < 1) throw new AssayException("-S " + key + "=" + v + ": expected a whole number of at least 1");
        return v;
    }

    static double number(SolveContext c, String key, double fallback) {
        String v = c.params().get(key);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new AssayException("-S " + key + "=" + v + ": expected a number");
        }
    }

    /** Runs every task, at most {@code parallel} at once, and returns their results in order; the first failure is rethrown. */
    static <T> List<T> all(int parallel, List<Callable<T>> tasks) {
        if (tasks.isEmpty()) return List.of();
        Semaphore slots = new Semaphore(parallel);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<T> task : tasks) {
                futures.add(ex.submit(() -> {
                    slots.acquire();
                    try {
                        return task.call();
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<T> out = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(g -> g.cancel(true));
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    futures.forEach(g -> g.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("interrupted");
                }
            }
            return out;
        }
    }

    /**
     * A sampled chain of thought: its text (stripped) and its length in tokens, counted by the evaluated model
     * where it reports completion tokens, else estimated (see {@link #estimateTokens}).
     */
    record Chain(String text, double tokens, boolean modelTokens) {
    }

    /** Samples at the suite's temperature and nucleus with a seed of its own per chain. */
    static Chain sample(SampleState s, Dialogue d, String step, Settings p) {
        Model model = s.model();
        long seed = Seeds.derive(s.context().seed() + "\u0000" + step);
        GenerateRequest req = new GenerateRequest(d.render(s.context().format()), p.cotTokens(), p.temperature(), p.topP(), seed,
                Reply.HUMAN_TURN, 1, 0, s.context().tag().withStep(step));
        Generation g = model.generate(req);
        String text = g.text().strip();
        boolean counted = g.completionTokens() > 0;
        return new Chain(text, counted ? g.completionTokens() : estimateTokens(text), counted);
    }

    /** A role model's short free text (mistaker, paraphraser): greedy, as the method fixes it. */
    static String role(SampleState s, String role, Dialogue d, String step, int maxTokens, List<String> stop) {
        Model model = s.context().role(role);
        GenerateRequest req = GenerateRequest.greedy(d.render(s.context().format()), maxTokens, stop, s.context().tag().withStep(step));
        return model.generate(req).text();
    }

    /**
     * The answer after {@code d}, which ends with "The single, most likely answer is (": by the log-likelihood of
     * each letter where the run scores answers (the stored value is the letters' log-probs), else by greedy
     * generation (the stored value is the text, parsed on scoring). The method goes on the transcript.
     */
    static Object answer(SampleState s, Dialogue d, String step) {
        List<String> letters = s.sample().choices();
        var tag = s.context().tag().withStep(step);
        if (s.context().scoresAnswers()) {
            List<ContinuationScore> scores = s.model().score(new ScoreRequest(d.render(s.context().format()), letters, tag));
            s.transcript().method(Choose.LOGLIK);
            return MultipleChoice.list(scores.stream().mapToDouble(ContinuationScore::logprob).toArray());
        }
        String text = s.model().generate(GenerateRequest.greedy(d.render(s.context().format()), Choose.MAX_ANSWER_TOKENS,
                List.of("\n"), tag)).text();
        s.transcript().method(Choose.GENERATIVE);
        return text;
    }

    /**
     * The letter an answer chose: the most probable by log-likelihood, or the one the text names (with the
     * prefill "(" a reply like "B) because…" or "B" names B). Null when nothing was parsed or nothing stored.
     */
    static Integer choice(Object stored, List<String> letters) {
        if (stored == null) return null;
        if (stored instanceof List<?>) {
            double[] lp = MultipleChoice.numbers(stored);
            if (lp == null || lp.length == 0) return null;
            int best = 0;
            for (int i = 1; i < lp.length; i++) if (lp[i] > lp[best]) best = i;
            return Double.isNaN(lp[best]) ? null : best;
        }
        return MultipleChoice.parse(stored.toString(), letters);
    }

    /**
     * Where a model reports no token counts (replay files): the words and punctuation marks of the text, by
     * the JDK's word boundaries — close to a BPE count for English prose, and recorded as an estimate.
     */
    static int estimateTokens(String text) {
        BreakIterator it = BreakIterator.getWordInstance(Locale.ENGLISH);
        it.setText(text);
        int n = 0;
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            if (!text.substring(start, end).isBlank()) n++;
        }
        return n;
    }
}
