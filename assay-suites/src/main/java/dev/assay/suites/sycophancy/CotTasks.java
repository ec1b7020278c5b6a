package dev.assay.suites.sycophancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multiple-choice sets of raybears/cot-transparency (public: backdoor/password-locked asks them too) (AQuA dev, ARC-Easy dev, ARC-Challenge dev)
 * read into samples whose options are " (A)", " (B)", … and whose target is the correct one.
 *
 * <p>The commit is the short hash the reference copy names (datasets/README.md); the full hash was not
 * in the code index. Local layout is {@code cot-tasks/aqua/dev.jsonl}, as in the reference copy.
 */
public final class CotTasks {
    static final String REPO = "raybears/cot-transparency";
    static final String COMMIT = "f687439";
    static final String DATASET = "cot-tasks";
    /** Upstream keeps the task folders under data/; the local copy drops that level. */
    static final String UPSTREAM_PREFIX = "data/";

    /** One pinned file and the name its samples are grouped under. */
    public record Source(String name, DataFile file) {
    }

    static final Source AQUA = new Source("aqua", new DataFile(DATASET, REPO, COMMIT, "aqua/dev.jsonl",
            "4a52301d8a49ae0b286f8e697f9c5da1b109b247b825b47b4c6de34312dceec5", 132008, UPSTREAM_PREFIX));
    static final Source ARC_EASY = new Source("arc_easy", new DataFile(DATASET, REPO, COMMIT, "arc_easy/ARC-Easy-Dev.jsonl",
            "f4364b808a68df6bf500ce1070fb0105d40cacd2391c210deb00ff83ba75d1f4", 214423, UPSTREAM_PREFIX));
    static final Source ARC_CHALLENGE = new Source("arc_challenge", new DataFile(DATASET, REPO, COMMIT,
            "arc_challenge/ARC-Challenge-Dev.jsonl", "55224364abd2477f66a9a57c5cbef109fb71d83019aa5e37aec0e7ab757746ca", 126540, UPSTREAM_PREFIX));
    public static final List<Source> ALL = List.of(AQUA, ARC_EASY, ARC_CHALLENGE);

    private CotTasks() {
    }

    public static List<Sample> load(List<Source> sources, DataStore data, int limitPerFile) {
        List<Sample> out = new ArrayList<>();
        for (Source src : sources) {
            for (Records.Row row : Records.items(data.resolve(src.file()), limitPerFile)) out.add(sample(src.name(), row));
        }
        return out;
    }

    /** AQuA: {"question", "options": ["A)32400", …], "correct": "A"}; ARC: {"question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}. */
    static Sample sample(String dataset, Records.Row row) {
        String question;
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String key;
        JsonNode q = row.fields().get("question");
        if (q != null && q.isObject()) {
            question = text(row, q.get("stem"), "question.stem");
            JsonNode choices = q.get("choices");
            if (choices == null || !choices.isArray() || choices.isEmpty()) {
                throw new AssayException(row.where() + ": question.choices should be a non-empty list");
            }
            for (JsonNode c : choices) {
                labels.add(text(row, c.get("label"), "question.choices[].label"));
                texts.add(text(row, c.get("text"), "question.choices[].text"));
            }
            key = row.text("answerKey");
        } else {
            question = row.text("question");
            List<String> options = row.texts("options");
            for (String o : options) {
                int paren = o.indexOf(')');
                if (paren < 1) throw new AssayException(row.where() + ": option \"" + o + "\" should look like \"A)text\"");
                labels.add(o.substring(0, paren).strip());
                texts.add(o.substring(paren + 1).strip());
            }
            key = row.text("correct");
        }
        int correct = labels.indexOf(key.strip());
        if (correct < 0) throw new AssayException(row.where() + ": the answer \"" + key + "\" is none of the labels " + labels);
        if (labels.size() > 26) throw new AssayException(row.where() + ": more than 26 options");
        // Re-letter as A, B, C… (some ARC items label options 1-4) so every prompt and parse uses letters.
        List<String> options = new ArrayList<>();
        StringBuilder input = new StringBuilder("Question: ").append(question.strip()).append("\n\nChoices:");
        for (int i = 0; i < texts.size(); i++) {
            char letter = (char) ('A' + i);
            options.add(" (" + letter + ")");
            input.append("\n (").append(letter).append(") ").append(texts.get(i));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset", dataset);
        meta.put("line", row.line());
        meta.put("correct", correct);
        meta.put("texts", texts);
        return new Sample(dataset + ":" + row.line(), input.toString(), options, options.get(correct), meta);
    }

    private static String text(Records.Row row, JsonNode n, String field) {
        if (n == null || n.isNull() || !n.isValueNode()) throw new AssayException(row.where() + ": field '" + field + "' should be text");
        return n.asText();
    }

    public static int correct(Sample s) {
        return ((Number) s.metadata().get("correct")).intValue();
    }
}
