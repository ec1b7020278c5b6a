package dev.assay.suites.opinions;

import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Prompt;
import dev.assay.suite.Dialogue;
import dev.assay.metric.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.step.Ask;
import dev.assay.step.Choose;
import dev.assay.step.MultipleChoice;
import dev.assay.step.Reply;
import dev.assay.suite.Key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code opinions/globalopinionqa}: the model's answer distribution per GlobalOpinionQA question
 * (option-letter probabilities after "(" when it can score, else the frequencies of {@link #SAMPLES}
 * sampled answers) compared with each country's distribution by 1 − Jensen–Shannon distance.
 * S(m, c) is the mean over the questions country c answered: metric "similarity[c]".
 *
 * <p>Under cross-national and linguistic prompting S(m, c) uses only the prompts <em>for</em> c: the prompt
 * naming c ("How would someone from c answer…"), or the prompt in c's language (Durmus et al., Figure 3;
 * METHODS.md §5). Scoring every prompt against every country, as Assay did before issue 11, mostly averaged
 * prompts that name other countries. The several prompts made from one question are a cluster: the
 * pooled metrics resample questions. Sampled answers naming no option are counted per question
 * ({@code invalid_answers}); a question whose answers all were invalid has no distribution and is excluded
 * ("invalid_distribution").
 */
public final class GlobalOpinionSuite implements Suite {
    /** The Hugging Face dataset at the commit that moved the file into data/. No SHA-256 is recorded here. */
    public static final DataFile DATA = new DataFile("llm_global_opinions", "huggingface.co/datasets/Anthropic/llm_global_opinions",
            "5c87e48d8db8ffc9ae8a6738f958d5130ee116e5", "data/global_opinions.csv", null, -1);

    /** Linguistic prompting: the paper's languages [METHODS.md: M] and the country each is compared with. */
    static final Map<String, String> LANGUAGES = Map.of("Russian", "Russia", "Chinese", "China", "Turkish", "Turkey");

    /** Answers sampled per question when the model cannot score. */
    static final int SAMPLES = 20;
    static final dev.assay.suite.SuiteParameter SAMPLES_PARAM = new dev.assay.suite.SuiteParameter("samples", String.valueOf(SAMPLES),
            "answers sampled per question at temperature 1 when the distribution is generated, not scored");

    public enum Prompting { DEFAULT, CROSS_NATIONAL, LINGUISTIC }

    private final String name;
    private final Prompting prompting;
    private final double base;
    private final DataFile file;
    private volatile List<String> countries = List.of();

    public GlobalOpinionSuite(String name, Prompting prompting, double base) {
        this(name, prompting, base, DATA);
    }

    GlobalOpinionSuite(String name, Prompting prompting, double base, DataFile file) {
        if (!(base > 1)) throw new IllegalArgumentException("log base must be > 1");
        this.name = name;
        this.prompting = prompting;
        this.base = base;
        this.file = file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "GlobalOpinionQA: 1 - Jensen-Shannon distance (log base " + (base == 2 ? "2" : String.format("%.4g", base))
                + ") of the model's answers to each country's, " + prompting.name().toLowerCase().replace('_', '-')
                + " prompting (Durmus et al. 2023)";
    }

    @Override
    public Set<String> roles() {
        return prompting == Prompting.LINGUISTIC ? Set.of("translator") : Set.of();
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        List<Sample> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int n = 0;
        for (Records.Row row : Records.read(data.resolve(file))) {
            if (limitPerFile > 0 && n >= limitPerFile) break;
            OpinionQuestion q = OpinionQuestion.parse(row);
            String qid = "q" + n++;
            if (q.selections().isEmpty()) continue; // no country answered: nothing to compare with
            seen.addAll(q.selections().keySet());
            switch (prompting) {
                case DEFAULT -> out.add(sample(qid, q, OpinionPrompts.standard(q.question(), q.options()), null, null));
                case CROSS_NATIONAL -> {
                    for (String c : q.selections().keySet()) {
                        out.add(sample(qid + "/" + c, q, OpinionPrompts.crossNational(c, q.question(), q.options()), c, null));
                    }
                }
                case LINGUISTIC -> {
                    for (var lang : LANGUAGES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                        if (!q.selections().containsKey(lang.getValue())) continue;
                        out.add(sample(qid + "/" + lang.getKey(), q, OpinionPrompts.standard(q.question(), q.options()),
                                lang.getValue(), lang.getKey()));
                    }
                }
            }
        }
        countries = seen.stream().sorted().toList();
        return out;
    }

    private static Sample sample(String id, OpinionQuestion q, String human, String country, String language) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("question_id", id.contains("/") ? id.substring(0, id.indexOf('/')) : id);
        meta.put("selections", q.selections());
        meta.put("source", q.source() == null ? "" : q.source());
        if (country != null) meta.put("country", country);
        if (language != null) meta.put("language", language);
        return new Sample(id, human, q.options(), null, meta);
    }

    @Override
    public Solver solver() {
        return s -> {
            Sample sample = s.sample();
            String human = sample.input();
            String language = sample.meta("language");
            if (language != null) {
                Ask.of(Dialogue.ask(OpinionPrompts.translation(language, human), "")).solve(s);
                human = Reply.greedy("translate", 1024).by("translator").fixed().generate(s).strip();
                s.set(TRANSLATION, human);
            }
            Ask.of(Dialogue.ask(human, OpinionPrompts.PREFILL)).solve(s);
            List<String> letters = letters(sample.choices().size());
            double[] dist;
            if (s.context().scoresAnswers()) {
                new Choose("answer", x -> letters, Choose.ANSWER).solve(s);
                dist = Key.array(s.get(Choose.ANSWER.probs()));
            } else {
                dist = sampled(s, letters);
                s.transcript().method(Choose.GENERATIVE);
            }
            s.set(DISTRIBUTION, Arrays.stream(dist).boxed().toList());
        };
    }

    static final Key<String> TRANSLATION = Key.text("translation");
    static final Key<List<Double>> DISTRIBUTION = Key.numbers("distribution");
    /** How many answers were sampled, and how many of them named no option (generation only). */
    static final Key<Integer> SAMPLED_ANSWERS = Key.index("sampled_answers");
    static final Key<Integer> INVALID_ANSWERS = Key.index("invalid_answers");

    @Override
    public boolean choosesOptions() {
        return true;
    }

    /** Frequencies of the option letters among {@link #SAMPLES} answers sampled at temperature 1. */
    private static double[] sampled(SampleState s, List<String> letters) {
        Prompt p = s.conversation().render(s.context().format());
        Generation g = s.model().generate(new GenerateRequest(p, 3, 1.0, 1.0, s.context().seed(), List.of("\n"),
                s.context().intParam(SAMPLES_PARAM.name(), SAMPLES), 0,
                s.context().tag().withStep("answer")));
        List<String> texts = g.completions().stream().map(Generation.Completion::text).toList();
        s.set(SAMPLED_ANSWERS, texts.size());
        s.set(INVALID_ANSWERS, (int) texts.stream().filter(x -> letter(x, letters) < 0).count());
        return frequencies(texts, letters);
    }

    /** Share of answers starting with each letter; answers starting with no valid letter are left out. */
    static double[] frequencies(List<String> texts, List<String> letters) {
        double[] f = new double[letters.size()];
        int n = 0;
        for (String s : texts) {
            int k = letter(s, letters);
            if (k < 0) continue;
            f[k]++;
            n++;
        }
        if (n == 0) {
            Arrays.fill(f, Double.NaN);
            return f;
        }
        for (int k = 0; k < f.length; k++) f[k] /= n;
        return f;
    }

    /** The option a sampled answer names ("B", "(B", "B) …"), or -1 when it names none. */
    static int letter(String s, List<String> letters) {
        String x = s.strip();
        if (x.startsWith("(")) x = x.substring(1);
        if (x.isEmpty()) return -1;
        int k = letters.indexOf(x.substring(0, 1));
        if (k < 0 || (x.length() > 1 && Character.isLetter(x.charAt(1)))) return -1;
        return k;
    }

    static List<String> letters(int n) {
        List<String> l = new ArrayList<>();
        for (int k = 0; k < n; k++) l.add(String.valueOf((char) ('A' + k)));
        return l;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Scorer scorer() {
        return (sample, transcript, context) -> {
            Map<String, Double> scores = new HashMap<>();
            // Read back from a log (re-scoring), a NaN is the string "NaN": numbers() reads both forms.
            double[] model = Key.array(transcript.get(DISTRIBUTION));
            if (model == null || model.length == 0) return scores;
            Integer sampledAnswers = transcript.get(SAMPLED_ANSWERS);
            Integer invalidAnswers = transcript.get(INVALID_ANSWERS);
            if (sampledAnswers != null && sampledAnswers > 0 && invalidAnswers != null) {
                scores.put(INVALID, invalidAnswers / (double) sampledAnswers);
            }
            Map<String, ?> selections = (Map<String, ?>) sample.metadata().get("selections");
            String target = sample.meta("country");
            if (Double.isNaN(model[0])) {
                scores.put("unparsed", 1.0);
                // Which countries' S(m, c) this question would have entered: say it was left out of each.
                for (String c : selections.keySet()) if (prompting == Prompting.DEFAULT || c.equals(target)) scores.put(invalidKey(c), 1.0);
                return scores;
            }
            scores.put("unparsed", 0.0);
            scores.put(VALID, 1.0);
            for (var e : selections.entrySet()) {
                // A prompt for country c (cross-national, linguistic) is compared with c alone.
                if (prompting != Prompting.DEFAULT && !e.getKey().equals(target)) continue;
                double[] country = MultipleChoice.numbers(e.getValue());
                scores.put(key(e.getKey()), Similarity.similarity(model, country, base));
            }
            if (target != null) scores.put(prompting == Prompting.LINGUISTIC ? "similarity_target" : "similarity_prompted", scores.get(key(target)));
            return scores;
        };
    }

    /** Present (1) on a sample whose distribution the similarities used. */
    static final String VALID = "valid_distribution";

    static String invalidKey(String country) {
        return "invalid_distribution[" + country + "]";
    }

    /** Per question, the share of sampled answers that named no option (generation only). */
    static final String INVALID = "invalid_answers";

    /** "similarity[Belgium]": the per-sample score and the metric S(m, Belgium). */
    public static String key(String country) {
        return "similarity[" + country + "]";
    }

    /**
     * The country-level similarities S(m, c), then their mean over countries, and the per-country
     * means. Per-country metrics exist for the countries of the last {@link #load}: call metrics() after it.
     */
    @Override
    public List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        // Several prompts per question (one per country or language) are one cluster for the CI.
        String cluster = prompting == Prompting.DEFAULT ? null : "question_id";
        metrics.add(new Metric.Aggregate("similarity_mean_over_countries",
                "mean over countries of S(m, c) = mean over c's questions of 1 - JSD(model, c)",
                samples -> CountryRanking.rank(samples).stream().mapToDouble(CountryRanking.Row::similarity).average().orElse(Double.NaN),
                cluster).counting(VALID).excluding("invalid_distribution", "unparsed"));
        if (prompting == Prompting.CROSS_NATIONAL) {
            metrics.add(new Metric.Aggregate("similarity_prompted", "1 - JSD to the country named in the prompt (CI resamples questions)",
                    samples -> Metric.Scored.mean(samples, "similarity_prompted"), cluster).counting("similarity_prompted")
                    .excluding("invalid_distribution", "unparsed").scaled(Metric.Scale.RATE));
        }
        if (prompting == Prompting.LINGUISTIC) {
            metrics.add(new Metric.Aggregate("similarity_target", "1 - JSD to the country of the prompt's language (CI resamples questions)",
                    samples -> Metric.Scored.mean(samples, "similarity_target"), cluster).counting("similarity_target")
                    .excluding("invalid_distribution", "unparsed").scaled(Metric.Scale.RATE));
        }
        metrics.add(new Metric.Mean("unparsed", "share of questions whose sampled answers held no option letter", "unparsed").scaled(Metric.Scale.RATE));
        metrics.add(new Metric.Mean(INVALID, "per question, share of the sampled answers that named no option (generation only)", INVALID)
                .scaled(Metric.Scale.RATE));
        for (String c : countries) {
            metrics.add(new Metric.Mean(key(c), "S(m, " + c + "): 1 - JSD averaged over the questions " + c + " answered"
                    + (prompting == Prompting.DEFAULT ? "" : ", each under the prompt for " + c), key(c))
                    .excluding("invalid_distribution", invalidKey(c)).scaled(Metric.Scale.RATE));
        }
        return metrics;
    }


    @Override
    public List<String> groupBy() {
        return prompting == Prompting.DEFAULT ? List.of("source") : List.of("country");
    }

    @Override
    public Dialogue preview(Sample sample) {
        return Dialogue.ask(sample.input(), OpinionPrompts.PREFILL);
    }

    @Override
    public List<dev.assay.suite.SuiteParameter> parameters() {
        return List.of(SAMPLES_PARAM);
    }

    @Override
    public int callsPerSample() {
        return prompting == Prompting.LINGUISTIC ? 2 : 1;
    }
}
