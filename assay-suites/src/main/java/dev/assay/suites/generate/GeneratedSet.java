package dev.assay.suites.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.AssayException;
import dev.assay.run.RunHeader;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generation run read back from its folder — the candidates each behaviour's suite logged — and the dataset
 * files made from them: per behaviour the selected items in the anthropics/evals JSONL format, and beside each a
 * data card ({@code NAME.card.json}) with the provenance. The card is a sidecar, not a header line, because readers
 * of that format (ours included) take every line of the file for an item.
 */
public final class GeneratedSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String CARD_SUFFIX = ".card.json";

    private GeneratedSet() {
    }

    /** One behaviour of a generation run: its candidates in generation order and what the selection kept. */
    public record Part(String suite, String kind, Behaviour behaviour, List<String> labels, int planned,
                       List<Selection.Candidate> candidates, Selection.Result result) {
    }

    /** Whether a run is a generation run (its suites are generate/…). */
    public static boolean isGeneration(RunHeader header) {
        return !header.spec().suites().isEmpty() && header.spec().suites().stream().allMatch(s -> s.startsWith(GenerateSuites.PREFIX));
    }

    /** The rule a generation run was started with (its -S parameters). */
    public static Selection.Rule rule(RunHeader header) {
        return Selection.Rule.of(header.spec().settings().params());
    }

    /** Reads a generation run's log and selects from each behaviour's candidates under {@code rule}; no model is opened. */
    public static List<Part> read(Path runDir, Selection.Rule rule) {
        RunHeader header = RunStore.readHeader(runDir);
        if (!isGeneration(header)) {
            throw new AssayException("run " + header.id() + " (" + runDir + ") is not a generation run (its suites are "
                    + String.join(", ", header.spec().suites()) + "); give a run made by 'assay generate'");
        }
        Map<String, SampleRecord> log = RunLog.read(runDir.resolve(RunStore.SAMPLES));
        List<Part> parts = new ArrayList<>();
        for (String name : header.spec().suites()) {
            GenerationSuite suite = GenerateSuites.parse(name);
            List<Selection.Candidate> cs = new ArrayList<>();
            for (SampleRecord r : log.values()) {
                if (r.suite().equals(name)) cs.add(candidate(r, suite));
            }
            cs.sort(java.util.Comparator.comparingInt(Selection.Candidate::order));
            int planned = header.suites().stream().filter(i -> i.name().equals(name)).mapToInt(RunHeader.SuiteInfo::samples).findFirst().orElse(cs.size());
            List<String> labels = suite.kind().labels;
            parts.add(new Part(name, suite.kind().wire, suite.behaviour(), labels, planned, cs, Selection.select(cs, labels, rule)));
        }
        return parts;
    }

    private static Selection.Candidate candidate(SampleRecord r, GenerationSuite suite) {
        var t = r.transcript();
        String label = r.target();
        int order = order(r.id(), suite.kind().labels.indexOf(label));
        if (!r.ok()) return new Selection.Candidate(r.id(), order, label, "", Double.NaN, "error");
        String unusable = t.get(GenerationSuite.UNUSABLE);
        String text = suite.kind() == GenerationSuite.Kind.PERSONA ? t.get(GenerationSuite.STATEMENT) : t.get(GenerationSuite.QUESTION);
        Double c = t.get(GenerationSuite.CONFIDENCE);
        if (unusable != null || text == null || c == null) {
            return new Selection.Candidate(r.id(), order, label, text == null ? "" : text, Double.NaN, unusable == null ? "unscored" : unusable);
        }
        return new Selection.Candidate(r.id(), order, label, text, c, null);
    }

    /** Generation order from "NAME:tag:i": the first label's candidates, then the second's, each by i. */
    private static int order(String id, int labelIndex) {
        int colon = id.lastIndexOf(':');
        try {
            return labelIndex * 1_000_000 + Integer.parseInt(id.substring(colon + 1));
        } catch (NumberFormatException e) {
            return labelIndex * 1_000_000;
        }
    }

    /** One item as the released files write it (persona: question, statement, label_confidence, answers). */
    static ObjectNode item(String kind, Selection.Candidate c) {
        ObjectNode o = JSON.createObjectNode();
        if (kind.equals(GenerationSuite.Kind.PERSONA.wire)) {
            o.put("question", Prompts.personaQuestion(c.text()));
            o.put("statement", c.text());
            o.put("label_confidence", c.confidence());
            o.put("answer_matching_behavior", c.label());
            o.put("answer_not_matching_behavior", c.label().equals(Prompts.YES) ? Prompts.NO : Prompts.YES);
        } else {
            o.put("question", c.text());
            o.put("answer_matching_behavior", c.label());
            o.put("answer_not_matching_behavior", c.label().equals(Prompts.A) ? Prompts.B : Prompts.A);
            o.put("label_confidence", c.confidence());
        }
        return o;
    }

    /** Where the files went: one dataset and one card per behaviour. */
    public record Written(List<Path> datasets, List<Path> cards) {
    }

    /**
     * Writes each part's items to {@code out} (a .jsonl file for a single behaviour, else a folder receiving
     * NAME.jsonl per behaviour) and a card beside each.
     *
     * @param provenance what the card records besides the counts: run, models, sampling, prompts
     */
    public static Written write(List<Part> parts, Path out, Selection.Rule rule, Map<String, Object> provenance) {
        List<Path> datasets = new ArrayList<>();
        List<Path> cards = new ArrayList<>();
        boolean single = parts.size() == 1 && out.getFileName().toString().endsWith(".jsonl");
        if (!single && out.getFileName().toString().endsWith(".jsonl")) {
            throw new AssayException("-o " + out + ": this run has " + parts.size() + " behaviours; give a folder (one NAME.jsonl each)");
        }
        for (Part p : parts) {
            Path file = single ? out : out.resolve(p.behaviour().name() + ".jsonl");
            StringBuilder sb = new StringBuilder();
            for (Selection.Candidate c : p.result().kept()) sb.append(item(p.kind(), c).toString()).append('\n');
            Path card = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.jsonl$", "") + CARD_SUFFIX);
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(file, sb, StandardCharsets.UTF_8);
                JSON.writerWithDefaultPrettyPrinter().writeValue(card.toFile(), card(p, rule, provenance, file));
            } catch (IOException e) {
                throw new AssayException("cannot write " + file + " (-o): " + e.getMessage(), e);
            }
            datasets.add(file);
            cards.add(card);
        }
        return new Written(datasets, cards);
    }

    static Map<String, Object> card(Part p, Selection.Rule rule, Map<String, Object> provenance, Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", file.getFileName().toString());
        m.put("format", p.kind().equals("persona")
                ? "anthropics/evals persona JSONL (question, statement, label_confidence, answer_matching_behavior, answer_not_matching_behavior)"
                : "anthropics/evals advanced-ai-risk JSONL (question, answer_matching_behavior, answer_not_matching_behavior) plus label_confidence");
        m.put("why_a_sidecar", "readers of this format take every line of the JSONL for an item, so the provenance is here and not in a header line");
        m.put("kind", p.kind());
        m.put("behaviour", Map.of("name", p.behaviour().name(), "description", p.behaviour().description()));
        m.put("suite", p.suite());
        m.putAll(provenance);
        m.put("prompts", prompts(p));
        Map<String, Object> sel = new LinkedHashMap<>(rule.params());
        sel.put("rule", "drop unusable candidates; keep those whose filter probability of the intended label is above threshold; "
                + "drop near-duplicates (normalised text equal, or word n-gram Jaccard overlap >= overlap, most confident kept); "
                + "balance: every label keeps its k most confident, k = the smallest label's count" + (rule.perLabel() > 0 ? " capped at per_label" : ""));
        sel.put("paper_rule", "Perez et al. kept, per label, the top 500 or all examples whose argmax label is that label, whichever is smaller; "
                + "--threshold 0.5 --max-per-label 500 is that rule, with de-duplication and exact balance added");
        m.put("selection", sel);
        Map<String, Object> counts = new LinkedHashMap<>();
        int[] total = new int[6];
        p.result().counts().forEach((label, c) -> {
            counts.put(label.strip(), counts(c));
            total[0] += c.generated();
            total[1] += c.unusable();
            total[2] += c.belowThreshold();
            total[3] += c.duplicates();
            total[4] += c.unbalanced();
            total[5] += c.kept();
        });
        counts.put("total", counts(new Selection.Counts(total[0], total[1], total[2], total[3], total[4], total[5])));
        m.put("planned_candidates", p.planned());
        m.put("counts", counts);
        m.put("items", p.result().kept().size());
        return m;
    }

    private static Map<String, Integer> counts(Selection.Counts c) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("generated", c.generated());
        m.put("dropped_unusable", c.unusable());
        m.put("dropped_below_threshold", c.belowThreshold());
        m.put("dropped_duplicates", c.duplicates());
        m.put("dropped_to_balance", c.unbalanced());
        m.put("kept", c.kept());
        return m;
    }

    /** The prompts as sent, with the statement, question and examples as placeholders. */
    static Map<String, Object> prompts(Part p) {
        Map<String, Object> m = new LinkedHashMap<>();
        String d = p.behaviour().description();
        if (p.kind().equals("persona")) {
            for (String label : p.labels()) {
                m.put("generator" + label.replace(' ', '_'), Prompts.personaGenerator(d, label.equals(Prompts.YES)).rawText());
            }
            m.put("filter", dev.assay.suite.Dialogue.ask(Prompts.personaFilter(d, "{statement}"), "").rawText());
            m.put("filter_scored", List.of(Prompts.YES, Prompts.NO));
            m.put("stop", Prompts.PERSONA_STOPS);
        } else {
            Prompts.Item ex = new Prompts.Item("{question}", "{choice A}", "{choice B}", Prompts.A);
            for (String label : p.labels()) {
                m.put("generator" + label.replace(' ', '_'), Prompts.riskGenerator(d, List.of(label.equals(Prompts.A) ? ex : ex.flipped()), label)
                        .rawText().replace("Question: {question}", "Question: {question} (5 gold examples drawn uniformly from the seeds, flipped for (B))"));
            }
            m.put("filter", dev.assay.suite.Dialogue.ask(Prompts.riskFilter(d, "{question}"), Prompts.RISK_FILTER_PREFILL).rawText());
            m.put("filter_scored", List.of(Prompts.A, Prompts.B));
            m.put("stop", Prompts.RISK_STOPS);
        }
        return m;
    }
}
