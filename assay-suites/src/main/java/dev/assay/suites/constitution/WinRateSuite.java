package dev.assay.suites.constitution;

import dev.assay.AssayException;
import dev.assay.data.DataFile;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harmless response win rate (Kundu et al. 2023, METHODS.md §9): on persona-style items ("Is the following
 * statement something you would say?"), the judge — the evaluated model — compares the harmless answer with
 * the risky one (risky = the dataset's behaviour-matching answer), under each principle set; the win rate is
 * the fraction of items where it prefers the harmless one. One sample per (item, principle set), grouped by
 * set and by set/dataset, so every rate has its CI per set and per dataset.
 */
final class WinRateSuite implements Suite {
    static final Judging.Names NAMES = new Judging.Names("win_rate", "harmless_prob", "win_rate_harmless_as_a", "the harmless answer");

    /** A data file of items and the trait its items test (null: every principle of a set applies). */
    record Source(String stem, String trait, DataFile pinned, Path local) {
        Path resolve(DataStore data) {
            if (pinned != null) return data.resolve(pinned);
            if (!Files.isRegularFile(local)) throw new AssayException("no such file " + local.toAbsolutePath());
            return local;
        }
    }

    private final String name;
    private final String description;
    private final List<Source> sources;

    WinRateSuite(String name, String description, List<Source> sources) {
        this.name = name;
        this.description = description;
        this.sources = List.copyOf(sources);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<DataFile> dataFiles() {
        return sources.stream().map(Source::pinned).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        return load(data, limitPerFile, Map.of());
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile, Map<String, String> params) {
        Principles principles = Principles.of(params);
        List<Sample> out = new ArrayList<>();
        for (Source src : sources) {
            for (Records.Row row : Records.items(src.resolve(data), limitPerFile)) {
                Item item = item(src, row);
                for (String set : principles.sets()) {
                    List<Principles.Principle> ps = principles.of(set, src.trait());
                    if (!ps.isEmpty()) out.add(sample(src, row, item, set, ps, principles.file()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new AssayException(principles.file() + ": no principle applies to the items of " + name
                    + " (their traits: " + sources.stream().map(Source::trait).distinct().toList() + ")");
        }
        return out;
    }

    /** One persona item as the judge sees it: the question as a human turn, the two answers as responses. */
    record Item(String conversation, String harmless, String risky, String harmlessOption, String riskyOption) {
    }

    static Item item(Source src, Records.Row row) {
        String question = row.text("question");
        String risky = row.text("answer_matching_behavior");
        List<String> not = row.texts("answer_not_matching_behavior");
        if (risky.isBlank()) throw new AssayException(row.where() + ": answer_matching_behavior is empty");
        String harmless = not.getFirst();
        if (harmless.isBlank() || harmless.strip().equals(risky.strip())) {
            throw new AssayException(row.where() + ": answer_not_matching_behavior should be an answer other than \"" + risky + "\"");
        }
        String h = response(question, harmless), r = response(question, risky);
        // A multiple-choice item's own "Choices:" block would put a second, clashing (A)/(B) before the options:
        // once both answers read as their choices' texts, the human turn keeps the question alone.
        String asked = question;
        int choices = question.lastIndexOf("Choices:");
        if (!h.equals(harmless.strip()) && !r.equals(risky.strip()) && choices > 0) asked = question.substring(0, choices);
        return new Item("Human: " + asked.strip(), h, r, harmless, risky);
    }

    private static final Pattern CHOICE = Pattern.compile("^\\s*\\(([A-Z])\\)\\s*(.+?)\\s*$", Pattern.MULTILINE);

    /**
     * An answer as a response: " Yes" → "Yes"; a letter answer " (A)" → the text of choice (A) in the question
     * (its last "(A) …" line, so an item quoting other choices earlier still reads its own), else the letter.
     */
    static String response(String question, String answer) {
        String a = answer.strip();
        Matcher letter = Pattern.compile("^\\(([A-Z])\\)$").matcher(a);
        if (!letter.matches()) return a;
        String text = null;
        Matcher m = CHOICE.matcher(question);
        while (m.find()) if (m.group(1).equals(letter.group(1))) text = m.group(2);
        return text == null ? a : text;
    }

    private static Sample sample(Source src, Records.Row row, Item item, String set, List<Principles.Principle> ps, String file) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset", set + "/" + src.stem());
        meta.put(Judging.SET, set);
        meta.put("behaviour", src.stem());
        if (src.trait() != null) meta.put("trait", src.trait());
        meta.put("file", row.file().getFileName().toString());
        meta.put("line", row.line());
        meta.put(Judging.CONVERSATION, item.conversation());
        meta.put(Judging.X, item.harmless());
        meta.put(Judging.Y, item.risky());
        meta.put(Judging.PRINCIPLES, ps.stream().map(Principles.Principle::text).toList());
        meta.put("principles_file", file);
        return new Sample(src.stem() + ":" + row.line() + "/" + set, row.text("question"),
                List.of(item.harmlessOption(), item.riskyOption()), item.harmlessOption(), meta);
    }

    @Override
    public Solver solver() {
        return Judging.solver();
    }

    @Override
    public Scorer scorer() {
        return Judging.scorer(NAMES);
    }

    @Override
    public List<Metric> metrics() {
        return Judging.metrics(NAMES);
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
        return List.of(new SuiteParameter(Principles.PARAM, "(shipped principles.jsonl)",
                "JSONL of {set, principle, trait?, source?}: the principle sets the judge is asked under"), Judging.DRAW_PARAMETER);
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
