package dev.assay.suites.constitution;

import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.metric.Metric;
import dev.assay.suite.CallEstimate;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kundu et al.'s feedback model as a judge over a researcher's own pairs: a JSONL file ({@code -S pairs=FILE})
 * of {@code {"conversation": "Human: …", "response_a": …, "response_b": …}} with optional {@code id},
 * {@code trait} (which trait-specific principles apply), {@code group} (a results breakdown) and
 * {@code preferred} ("a" or "b": a label the judge's choice is checked against). Each pair is judged under
 * every principle set in both orders; per set: P(response_a preferred), how often it wins, position bias and
 * order consistency, and agreement with the labels where given.
 */
final class TraitJudgeSuite implements Suite {
    static final String NAME = "constitution/trait-judge";
    static final String PAIRS = "pairs";
    static final Judging.Names NAMES = new Judging.Names("a_wins", "prefer_a", "a_wins_as_a", "response_a");
    static final String AGREEMENT = "agreement";
    static final String UNLABELLED = "unlabelled";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kundu et al. 2023: a principle-conditioned judge (the evaluated model) picks between two responses, both orders (-S pairs=FILE)";
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        return load(data, limitPerFile, Map.of());
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile, Map<String, String> params) {
        String file = params.get(PAIRS);
        if (file == null || file.isBlank()) {
            throw new AssayException(NAME + " needs -S pairs=FILE: a JSONL file of {\"conversation\": \"Human: …\", "
                    + "\"response_a\": …, \"response_b\": …} (optional: id, trait, group, preferred)");
        }
        Path path = Path.of(file.strip());
        if (!Files.isRegularFile(path)) throw new AssayException("-S pairs=" + file + ": no such file");
        Principles principles = Principles.of(params);
        List<Sample> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Records.Row row : Records.items(path, limitPerFile)) {
            String conversation = row.text("conversation");
            String a = row.text("response_a");
            String b = row.text("response_b");
            if (conversation.isBlank() || a.isBlank() || b.isBlank()) {
                throw new AssayException(row.where() + ": conversation, response_a and response_b must not be empty");
            }
            String id = row.optText("id") == null ? "pair:" + row.line() : row.optText("id");
            if (!ids.add(id)) throw new AssayException(row.where() + ": id '" + id + "' is used twice");
            String trait = row.optText("trait");
            String group = row.optText("group");
            String preferred = row.optText("preferred");
            if (preferred != null) {
                preferred = preferred.strip().toLowerCase(Locale.ROOT);
                if (!preferred.equals("a") && !preferred.equals("b")) {
                    throw new AssayException(row.where() + ": preferred should be \"a\" or \"b\", found \"" + row.optText("preferred") + "\"");
                }
            }
            int before = out.size();
            for (String set : principles.sets()) {
                List<Principles.Principle> ps = principles.of(set, trait);
                if (ps.isEmpty()) continue;
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("dataset", group == null ? set : set + "/" + group);
                meta.put(Judging.SET, set);
                if (group != null) meta.put("group", group);
                if (trait != null) meta.put("trait", trait);
                if (preferred != null) meta.put("preferred", preferred);
                meta.put("line", row.line());
                meta.put(Judging.CONVERSATION, conversation);
                meta.put(Judging.X, a);
                meta.put(Judging.Y, b);
                meta.put(Judging.PRINCIPLES, ps.stream().map(Principles.Principle::text).toList());
                meta.put("principles_file", principles.file());
                out.add(new Sample(id + "/" + set, conversation, List.of(a, b), preferred == null ? null : preferred.equals("a") ? a : b, meta));
            }
            if (out.size() == before) {
                throw new AssayException(row.where() + ": no principle of " + principles.file() + " applies to trait '" + trait + "'");
            }
        }
        return out;
    }

    @Override
    public Solver solver() {
        return Judging.solver();
    }

    @Override
    public Scorer scorer() {
        return (sample, t, ctx) -> {
            Map<String, Double> s = Judging.score(t, NAMES);
            String preferred = sample.meta("preferred");
            s.put(UNLABELLED, preferred == null ? 1.0 : 0.0);
            Double win = s.get(NAMES.win());
            if (preferred != null && win != null) s.put(AGREEMENT, preferred.equals("a") ? win : 1 - win);
            return s;
        };
    }

    @Override
    public List<Metric> metrics() {
        List<Metric> m = new ArrayList<>(Judging.metrics(NAMES));
        m.add(new Metric.Mean(AGREEMENT, "fraction of labelled pairs where the judge prefers the labelled response (a tie counts ½)", AGREEMENT)
                .scaled(Metric.Scale.RATE).excluding(Judging.INVALID, Judging.INVALID_FLAG).excluding(Judging.UNPARSED, Judging.UNPARSED_FLAG)
                .excluding("no label", UNLABELLED));
        return m;
    }

    @Override
    public List<String> groupBy() {
        return List.of(Judging.SET, "dataset");
    }

    @Override
    public boolean choosesOptions() {
        return true;
    }

    @Override
    public List<SuiteParameter> parameters() {
        return List.of(new SuiteParameter(PAIRS, "(required)", "JSONL of {conversation, response_a, response_b, id?, trait?, group?, preferred?}"),
                new SuiteParameter(Principles.PARAM, "(shipped principles.jsonl)",
                        "JSONL of {set, principle, trait?, source?}: the principle sets the judge is asked under"),
                Judging.DRAW_PARAMETER);
    }

    @Override
    public Dialogue preview(Sample sample) {
        return Judging.preview(sample);
    }

    @Override
    public int callsPerSample() {
        return 2;
    }

    @Override
    public CallEstimate estimate(Sample sample, Map<String, String> params) {
        return Judging.estimate(sample, params);
    }
}
