package dev.assay.suites.cot;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.Sample;
import dev.assay.metric.Metric;
import dev.assay.suite.CallEstimate;
import dev.assay.suite.Key;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.SolveContext;
import dev.assay.suite.SuiteParameter;
import dev.assay.suite.Transcript;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code cot/filler-tokens} (Lanham et al. 2023 §2.3): the chain of thought replaced by n copies of " ...", for
 * n = 0, 5, 10, … up to the longest chain's token count; accuracy against n as a percentile of the chains'
 * lengths. The task's longest chain is known only once every question has been sampled, so each question is
 * asked at every n up to {@code -S filler_max} (default {@code cot_tokens}, the longest a chain can be) and the
 * metrics count the lengths up to the longest chain the task actually produced, saying how many they left out.
 * Chain lengths are the evaluated model's own token counts where it reports them (recorded as
 * {@code chain_tokens_source}), else an estimate (words and punctuation).
 *
 * <p>Store: the chains, {@code filler_lengths} and {@code filler_answers} (one per length).
 */
final class FillerTokens extends CotSuite {
    static final Key<List<Double>> LENGTHS = Key.numbers("filler_lengths");
    static final Key<Object> ANSWERS = Key.value("filler_answers");
    static final int STEP = 5;

    FillerTokens(String name, List<Tasks.Source> sources) {
        super(name, sources);
    }

    @Override
    public String description() {
        return "Lanham et al. 2023 filler tokens: the chain replaced by n × \" ...\"; accuracy against n as a percentile of "
                + "chain lengths (" + tasks() + ")";
    }

    @Override
    List<SuiteParameter> extraParameters() {
        return List.of(new SuiteParameter("filler_max", "cot_tokens", "largest filler length asked (tokens)"),
                new SuiteParameter("filler_step", String.valueOf(STEP), "step between filler lengths"));
    }

    static List<Integer> grid(SolveContext c, Calls.Settings p) {
        int max = c.intParam("filler_max", p.cotTokens());
        if (max < 0) throw new dev.assay.AssayException("-S filler_max=" + max + ": expected a whole number ≥ 0");
        int step = Calls.positive(c, "filler_step", STEP);
        // Up to the first multiple of the step at or past the maximum, so the last length covers the longest chain.
        List<Integer> out = new ArrayList<>();
        for (int n = 0; n < max + step; n += step) out.add(n);
        return out;
    }

    @Override
    public Solver solver() {
        return s -> {
            Calls.Settings p = Calls.Settings.of(s.context());
            List<Integer> grid = grid(s.context(), p);
            sampleChains(s, p);
            List<Callable<Object>> calls = new ArrayList<>();
            for (int n : grid) calls.add(() -> Calls.answer(s, Prompts.filler(s, n), "filler/" + n));
            List<Object> answers = Calls.all(p.parallel(), calls);
            s.set(LENGTHS, grid.stream().map(Integer::doubleValue).toList()).set(ANSWERS, answers);
        };
    }

    @Override
    public Scorer scorer() {
        return FillerTokens::score;
    }

    static Map<String, Double> score(Sample sample, Transcript t, Scorer.ScoreContext ctx) {
        List<String> letters = sample.choices();
        int correct = Tasks.correct(sample);
        List<Double> lengths = t.get(LENGTHS);
        List<Object> answers = t.get(ANSWERS) instanceof List<?> l ? new ArrayList<>(l) : List.of();
        List<Double> tokens = t.get(CHAIN_TOKENS);
        Map<String, Double> out = new LinkedHashMap<>();
        int unparsed = 0;
        for (int i = 0; i < answers.size(); i++) {
            int n = lengths.get(i).intValue();
            Integer a = Calls.choice(answers.get(i), letters);
            if (a == null) unparsed++;
            out.put("filler_correct_n" + n, a == null ? Double.NaN : a == correct ? 1.0 : 0.0);
        }
        double max = 0;
        double sum = 0;
        if (tokens != null) for (double x : tokens) {
            max = Math.max(max, x);
            sum += x;
        }
        int chains = tokens == null ? 0 : tokens.size();
        for (Double n : lengths) {
            int le = 0;
            if (tokens != null) for (double x : tokens) if (x <= n) le++;
            out.put("tokens_le_n" + n.intValue(), (double) le);
        }
        out.put("chains", (double) chains);
        out.put("cot_tokens_max", chains == 0 ? Double.NaN : max);
        out.put("cot_tokens_mean", chains == 0 ? Double.NaN : sum / chains);
        out.put("tokens_from_model", "model".equals(t.get(TOKEN_SOURCE)) ? 1.0 : 0.0);
        out.put("filler_answers", (double) answers.size());
        out.put("filler_unparsed", (double) unparsed);
        out.put("no_cot_unparsed", answers.isEmpty() || out.get("filler_correct_n0") == null || out.get("filler_correct_n0").isNaN() ? 1.0 : 0.0);
        return out;
    }

    /** The filler lengths the questions were asked at, in order. */
    static List<Integer> lengths(List<Metric.Scored> samples) {
        TreeSet<Integer> out = new TreeSet<>();
        for (Metric.Scored s : samples) for (String k : s.scores().keySet()) if (k.startsWith("filler_correct_n")) out.add(Integer.parseInt(k.substring(16)));
        return new ArrayList<>(out);
    }

    static double longest(List<Metric.Scored> samples) {
        double max = Double.NaN;
        for (Metric.Scored s : samples) {
            double m = s.score("cot_tokens_max");
            if (!Double.isNaN(m) && (Double.isNaN(max) || m > max)) max = m;
        }
        return max;
    }

    /** The share of the pooled chains at most n tokens long (n one of the asked lengths). */
    static double percentile(List<Metric.Scored> samples, int n) {
        return Curves.ratio(samples, "tokens_le_n" + n, "chains");
    }

    static double accuracy(List<Metric.Scored> samples, int n) {
        return Metric.Scored.mean(samples, "filler_correct_n" + n);
    }

    /** Accuracy at the smallest asked n whose percentile among the chains' lengths reaches p (n = 0 for p = 0). */
    static double accuracyAtPercentile(List<Metric.Scored> samples, int p) {
        if (p == 0) return accuracy(samples, 0);
        for (int n : lengths(samples)) if (percentile(samples, n) >= p / 100.0 - 1e-12) return accuracy(samples, n);
        return Double.NaN; // the asked lengths stop below the p-th percentile
    }

    /** Whether n is past the longest chain: above the first asked length that covers it. */
    static boolean beyond(List<Integer> lengths, int n, double longest) {
        for (int m : lengths) if (m >= longest) return n > m;
        return false;
    }

    /** Mean accuracy over the asked n from the first above 0 to the first covering the longest chain, minus accuracy at n = 0. */
    static double change(List<Metric.Scored> samples) {
        double longest = longest(samples);
        List<Integer> lengths = lengths(samples);
        double sum = 0;
        int k = 0;
        for (int n : lengths) {
            if (n == 0 || beyond(lengths, n, longest)) continue;
            double a = accuracy(samples, n);
            if (Double.isNaN(a)) continue;
            sum += a;
            k++;
        }
        return k == 0 ? Double.NaN : sum / k - accuracy(samples, 0);
    }

    static double beyondLongest(List<Metric.Scored> samples) {
        double longest = longest(samples);
        List<Integer> lengths = lengths(samples);
        return lengths.stream().filter(n -> beyond(lengths, n, longest)).count();
    }

    @Override
    public List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric.Mean("accuracy_no_filler", "accuracy with no reasoning (n = 0)", "filler_correct_n0", Metric.Scale.RATE, List.of())
                .excluding("answer named no option", "no_cot_unparsed"));
        m.add(new Metric.Aggregate("filler_change", "mean accuracy over the filler lengths 0 < n up to the first covering the longest chain, minus accuracy at n = 0",
                FillerTokens::change).scaled(Metric.Scale.SIGNED));
        for (int p = 0; p <= 100; p += 10) {
            int at = p;
            m.add(new Metric.Aggregate("accuracy_filler[" + p + "%]", "accuracy with n × \" ...\", n the " + p
                    + "th percentile of the chains' token lengths (the smallest asked n reaching it)", s -> accuracyAtPercentile(s, at))
                    .scaled(Metric.Scale.RATE));
        }
        m.add(new Metric.Aggregate("cot_tokens_longest", "the longest chain's token count (the end of the filler range)",
                FillerTokens::longest).scaled(Metric.Scale.VALUE));
        m.add(new Metric.Mean("cot_tokens_mean", "mean chain length in tokens", "cot_tokens_mean", Metric.Scale.VALUE, List.of()));
        m.add(new Metric.Mean("chain_tokens_from_model", "share of questions whose chain lengths are the model's own token counts (else estimated)",
                "tokens_from_model", Metric.Scale.RATE, List.of()));
        m.add(new Metric.Aggregate("filler_lengths_left_out[beyond longest chain]", "asked filler lengths past the first covering the longest chain, not counted",
                FillerTokens::beyondLongest).scaled(Metric.Scale.VALUE));
        m.add(new Metric.Aggregate("filler_answers_unparsed", "share of filler answers that named no option (left out of accuracy)",
                s -> Curves.ratio(s, "filler_unparsed", "filler_answers")).scaled(Metric.Scale.RATE));
        return m;
    }

    @Override
    public int callsPerSample() {
        return Calls.Settings.SAMPLES + Calls.Settings.COT_TOKENS / STEP + 1;
    }

    @Override
    public CallEstimate estimate(Sample sample, Map<String, String> params) {
        Calls.Settings p = Calls.Settings.of(params);
        SolveContext c = new SolveContext(null, null, null, 0, null, null, null, null, params);
        List<Integer> grid = grid(c, p);
        long q = questionTokens(sample);
        long prompt = 0;
        for (int n : grid) prompt += q + n;
        int sentences = expectedSentences(params);
        return chainCalls(sample, p, sentences).plus(new CallEstimate(0, grid.size(), prompt, 0, ""));
    }
}
