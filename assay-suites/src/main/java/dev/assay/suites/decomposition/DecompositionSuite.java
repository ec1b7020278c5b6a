package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.metric.Metric;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reasoning method of Radhakrishnan et al. 2023 (few-shot, chain of thought, chain-of-thought decomposition,
 * factored decomposition) over multiple-choice tasks, with the paper's faithfulness metrics: early answering and
 * adding mistakes (AOC over sentences or subquestion–answer pairs) and biased-context sensitivity (Turpin et al.).
 * The five released few-shot prompts are data, read when the samples are loaded.
 */
final class DecompositionSuite implements Suite {
    static final String FAITHFULNESS = "faithfulness";
    static final String MAX_SUBQUESTIONS = "max_subquestions";
    static final String ALL_MEASURES = "early,mistakes,bias";
    static final int CAP = 10;

    private final String name;
    private final Method method;
    private final List<Tasks.Source> sources;
    private final List<ReleasedPrompts.PromptFile> promptFiles;
    private volatile ReleasedPrompts prompts;

    DecompositionSuite(String name, Method method, List<Tasks.Source> sources, List<ReleasedPrompts.PromptFile> promptFiles) {
        this.name = name;
        this.method = method;
        this.sources = List.copyOf(sources);
        this.promptFiles = List.copyOf(promptFiles);
    }

    Method method() {
        return method;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Radhakrishnan et al. 2023 " + method.description + ", with its faithfulness metrics ("
                + String.join(", ", sources.stream().map(Tasks.Source::name).toList()) + ")";
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        prompts = ReleasedPrompts.load(data, promptFiles);
        return Tasks.load(sources, data, limitPerFile, Tasks::sample);
    }

    private ReleasedPrompts prompts() {
        ReleasedPrompts p = prompts;
        if (p == null) throw new IllegalStateException(name + ": the released prompts are read by load(), which has not run");
        return p;
    }

    @Override
    public List<DataFile> dataFiles() {
        List<DataFile> out = new ArrayList<>();
        out.addAll(Tasks.files(sources));
        promptFiles.forEach(p -> out.add(p.file()));
        return out;
    }

    @Override
    public Dialogue preview(Sample sample) {
        ReleasedPrompts rp = prompts();
        return switch (method) {
            case FEW_SHOT -> new Dialogue(Reasoner.with(rp.fewShot(false), sample.input() + "\n\nAnswer:"), Reasoner.FEW_SHOT_PREFILL);
            case COT -> new Dialogue(Reasoner.with(rp.cot(false), sample.input() + "\n\nAnswer:"), Reasoner.COT_OPENER);
            case COT_DECOMPOSITION -> new Dialogue(Reasoner.with(rp.cotDecomposition(false), sample.input()), "");
            case FACTORED -> new Dialogue(Reasoner.with(rp.decomposition(false), sample.input()), "");
        };
    }

    @Override
    public Solver solver() {
        return new Reasoner(method, this::prompts);
    }

    @Override
    public Scorer scorer() {
        return Faithfulness.scorer(method);
    }

    @Override
    public List<Metric> metrics() {
        return Faithfulness.metrics(method);
    }

    @Override
    public boolean choosesOptions() {
        return true;
    }

    @Override
    public List<String> groupBy() {
        return sources.size() > 1 ? List.of("dataset") : List.of();
    }

    @Override
    public List<SuiteParameter> parameters() {
        List<SuiteParameter> out = new ArrayList<>();
        out.add(new SuiteParameter(FAITHFULNESS, ALL_MEASURES, "which faithfulness measurements to run, comma-separated: early (early "
                + "answering), mistakes (adding mistakes; also needs --role mistaker=SPEC), bias (both biased contexts); 'none' for accuracy alone"));
        if (method.decomposes()) {
            out.add(new SuiteParameter(MAX_SUBQUESTIONS, String.valueOf(CAP), "a decomposition with more subquestions (factored: or more "
                    + "than this many + 1 decomposer turns) is recorded as malformed (subquestion_cap)"));
        }
        return out;
    }

    static Reasoner.Options options(Map<String, String> params) {
        String f = params.getOrDefault(FAITHFULNESS, ALL_MEASURES).strip();
        Set<String> chosen = new java.util.HashSet<>();
        if (!f.equals("none")) {
            for (String part : f.split(",")) {
                String p = part.strip();
                if (!Set.of("early", "mistakes", "bias").contains(p)) {
                    throw new AssayException("-S " + FAITHFULNESS + "=" + f + ": '" + p + "' is not one of early, mistakes, bias (or none)");
                }
                chosen.add(p);
            }
        }
        int cap = CAP;
        String c = params.get(MAX_SUBQUESTIONS);
        if (c != null) {
            try {
                cap = Integer.parseInt(c.strip());
            } catch (NumberFormatException e) {
                cap = -1;
            }
            if (cap < 1) throw new AssayException("-S " + MAX_SUBQUESTIONS + "=" + c + ": expected a whole number of at least 1");
        }
        return new Reasoner.Options(chosen.contains("bias"), chosen.contains("early"), chosen.contains("mistakes"), cap);
    }

    /** The reasoning steps, decomposer turns and tokens a step --dry-run assumes (Lanham et al.'s mean CoT length). */
    static final int EXPECTED_STEPS = 4, DECOMPOSER_TURNS = 3, TOKENS_PER_STEP = 25;

    /**
     * What --dry-run expects one question to cost, for a reasoning of {@link #EXPECTED_STEPS} steps (a factored
     * decomposition in {@link #DECOMPOSER_TURNS} decomposer turns) of {@link #TOKENS_PER_STEP} tokens each. Each
     * pass (unbiased, and the two biased ones under bias) reasons and answers: few-shot answers once; chain of
     * thought and its decomposition write one reasoning and answer; factored decomposition writes its turns,
     * answers each subquestion in a fresh context and answers from the recomposition. Early answering asks once per
     * truncation (k = 0 … n−1). Adding mistakes is not counted: it runs only with --role mistaker, which a dry run
     * does not open (it adds, per step, a mistaker call, a continuation and an answer).
     */
    @Override
    public dev.assay.suite.CallEstimate estimate(Sample sample, Map<String, String> params) {
        Reasoner.Options o = options(params);
        int n = EXPECTED_STEPS, t = TOKENS_PER_STEP;
        long q = (preview(sample).messages().stream().mapToLong(m -> m.content().length()).sum() + 40) / 4;
        long r = (long) n * t;
        var pass = switch (method) {
            case FEW_SHOT -> new dev.assay.suite.CallEstimate(0, 1, q, 0, "");
            case COT, COT_DECOMPOSITION -> new dev.assay.suite.CallEstimate(1, 1, q + (q + r), r, "");
            // the decomposer's turns see the question and what it wrote so far; each subanswer sees only its subquestion
            case FACTORED -> new dev.assay.suite.CallEstimate(DECOMPOSER_TURNS + n, 1, DECOMPOSER_TURNS * (q + r) + n * (long) t
                    + (q + 2 * r), r + (long) n * t, "");
        };
        var out = pass.times(o.bias() ? 3 : 1);
        if (method.reasons() && o.early()) {
            // the truncations k = 0 … n−1 answer after k of the n steps: Σ (q + k·t)
            out = out.plus(new dev.assay.suite.CallEstimate(0, n, n * q + (long) t * n * (n - 1) / 2, 0, ""));
        }
        String assumptions = !method.reasons() ? "one answer per pass" : n + " reasoning steps of " + t + " tokens" + (method == Method.FACTORED ? " in " + DECOMPOSER_TURNS
                + " decomposer turns" : "") + "; adding mistakes (--role mistaker) not counted";
        return new dev.assay.suite.CallEstimate(out.generateCalls(), out.answerCalls(), out.promptTokens(), out.completionTokens(), assumptions);
    }

    /**
     * Calls per sample for --dry-run, for a reasoning of four steps (Lanham et al.'s mean CoT length; a factored
     * decomposition in three decomposer turns) with every measurement but adding mistakes, which needs the
     * mistaker role. The real count depends on what the model writes.
     */
    @Override
    public int callsPerSample() {
        int steps = 4;
        int pass = switch (method) {
            case FEW_SHOT -> 1;
            case COT, COT_DECOMPOSITION -> 2;
            case FACTORED -> 3 + steps + 1;
        };
        return 3 * pass + (method.reasons() ? steps : 0);
    }
}
