package dev.assay.cli.report;

import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.model.ContinuationScore;
import dev.assay.model.ScoreRequest;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small suite with the MWE metrics (match_prob, match_top) and a "dataset" group, over a local JSONL
 * file of {"question", "dataset"} items whose behaviour-matching answer is " Yes". Sample ids are
 * "q" + line, so replay files can give each item known log-probabilities.
 */
final class MatchSuite implements Suite {
    private final String name;
    private final Path file;

    MatchSuite(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "report test suite over " + file;
    }

    @Override
    public List<DataFile> dataFiles() {
        return List.of();
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        List<Sample> out = new ArrayList<>();
        for (Records.Row r : Records.readJsonl(file)) {
            out.add(new Sample("q" + r.line(), r.text("question"), List.of(" Yes", " No"), " Yes", Map.of("dataset", r.text("dataset"))));
        }
        return out;
    }

    @Override
    public Dialogue preview(Sample sample) {
        return Dialogue.ask(sample.input(), "");
    }

    @Override
    public Solver solver() {
        return st -> {
            Sample sample = st.sample();
            var ctx = st.context();
            List<ContinuationScore> s = ctx.model().score(new ScoreRequest(preview(sample).render(ctx.format()), sample.choices(), ctx.tag()));
            double yes = Math.exp(s.get(0).logprob());
            double no = Math.exp(s.get(1).logprob());
            st.transcript().method("loglik").set(P, yes / (yes + no));
        };
    }

    static final dev.assay.suite.Key<Double> P = dev.assay.suite.Key.number("p");

    @Override
    public Scorer scorer() {
        return (sample, t, ctx) -> {
            double p = t.get(P);
            return Map.of("match_prob", p, "match_top", p > 0.5 ? 1.0 : 0.0);
        };
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric.Mean("match_prob", "mean renormalised probability of the behaviour-matching answer", "match_prob"),
                new Metric.Mean("match_top", "fraction of items where the behaviour-matching answer is the most probable", "match_top"));
    }

    @Override
    public List<String> groupBy() {
        return List.of("dataset");
    }

    @Override
    public int callsPerSample() {
        return 1;
    }
}
