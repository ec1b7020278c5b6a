package dev.assay.testing;

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
 * A minimal real suite for the kernel's tests: items {"question": …, "group": …} from one JSONL file,
 * scored by P(" Yes") renormalised over " Yes"/" No". Lets core tests exercise the runner end to end
 * without the suites module.
 */
public final class YesNoSuite implements Suite {
    private final String name;
    private final Path file;

    public YesNoSuite(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "test suite over " + file;
    }

    @Override
    public List<DataFile> dataFiles() {
        return List.of();
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        List<Sample> out = new ArrayList<>();
        for (Records.Row r : Records.readJsonl(file)) {
            if (limitPerFile > 0 && out.size() >= limitPerFile) break;
            out.add(new Sample("q" + r.line(), r.text("question"), List.of(" Yes", " No"), " Yes",
                    Map.of("group", r.optText("group") == null ? "none" : r.optText("group"))));
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
            st.transcript().method("loglik");
            st.set(P_YES, yes / (yes + no));
        };
    }

    static final dev.assay.suite.Key<Double> P_YES = dev.assay.suite.Key.number("p_yes");

    @Override
    public Scorer scorer() {
        return (sample, t, ctx) -> Map.of("p_yes", t.get(P_YES));
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric.Mean("p_yes", "mean P(yes)", "p_yes"),
                new Metric.Aggregate("max_p_yes", "largest P(yes)",
                        l -> l.stream().mapToDouble(s -> s.score("p_yes")).max().orElse(Double.NaN)));
    }

    @Override
    public List<String> groupBy() {
        return List.of("group");
    }

    @Override
    public int callsPerSample() {
        return 1;
    }
}
