package dev.assay.suites.decomposition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multiple-choice tasks of raybears/cot-transparency (AQuA, ARC-Easy, ARC-Challenge, LogiQA) as samples in
 * the released prompts' question format: "Question: …\n\nChoices:\n (A) …", options " (A)", " (B)", …, the
 * target the correct one. Metadata: dataset, line, correct (index), texts (option texts).
 */
final class Tasks {
    static final String REPO = "raybears/cot-transparency";
    static final String COMMIT = "f687439";
    static final String DATASET = "cot-tasks";
    /** Upstream keeps the task folders under data/; the local copy drops that level. */
    static final String UPSTREAM_PREFIX = "data/";

    /** One pinned file and the name its samples are grouped under. */
    record Source(String name, DataFile file) {
    }

    static final Source AQUA = new Source("aqua", new DataFile(DATASET, REPO, COMMIT, "aqua/dev.jsonl",
            "4a52301d8a49ae0b286f8e697f9c5da1b109b247b825b47b4c6de34312dceec5", 132008, UPSTREAM_PREFIX));
    static final Source ARC_EASY = new Source("arc_easy", new DataFile(DATASET, REPO, COMMIT, "arc_easy/ARC-Easy-Dev.jsonl",
            "f4364b808a68df6bf500ce1070fb0105d40cacd2391c210deb00ff83ba75d1f4", 214423, UPSTREAM_PREFIX));
    static final Source ARC_CHALLENGE = new Source("arc_challenge", new DataFile(DATASET, REPO, COMMIT,
            "arc_challenge/ARC-Challenge-Dev.jsonl", "55224364abd2477f66a9a57c5cbef109fb71d83019aa5e37aec0e7ab757746ca", 126540, UPSTREAM_PREFIX));
    static final Source LOGIQA = new Source("logiqa", new DataFile(DATASET, REPO, COMMIT, "logiqa/Eval.txt",
            "65f1576b0424249f70313c19b390dc9fcaed2faf5f6d5d86c4cf7fdaa4439e62", 550022, UPSTREAM_PREFIX));
    static final List<Source> ALL = List.of(AQUA, ARC_EASY, ARC_CHALLENGE, LOGIQA);

    private Tasks() {
    }

    static List<Sample> load(List<Source> sources, DataStore data, int limitPerFile) {
        List<Sample> out = new ArrayList<>();
        for (Source src : sources) {
            Path file = data.resolve(src.file());
            if (file.getFileName().toString().endsWith(".txt")) {
                out.addAll(logiqa(src.name(), file, limitPerFile));
            } else {
                for (Records.Row row : Records.items(file, limitPerFile)) out.add(jsonSample(src.name(), row));
            }
        }
        return out;
    }

    /** AQuA: {"question", "options": ["A)32400", …], "correct": "A"}; ARC: {"question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}. */
    static Sample jsonSample(String dataset, Records.Row row) {
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
            for (String o : row.texts("options")) {
                int paren = o.indexOf(')');
                if (paren < 1) throw new AssayException(row.where() + ": option \"" + o + "\" should look like \"A)text\"");
                labels.add(o.substring(0, paren).strip());
                texts.add(o.substring(paren + 1).strip());
            }
            key = row.text("correct");
        }
        int correct = labels.indexOf(key.strip());
        if (correct < 0) throw new AssayException(row.where() + ": the answer \"" + key + "\" is none of the labels " + labels);
        return sample(dataset, row.line(), row.where(), question.strip(), texts, correct);
    }

    /**
     * LogiQA's Eval.txt: seven-line records — the answer letter (a-d), the passage, the question, and four option
     * lines "A.…" to "D.…" — usually separated by a blank line (one upstream record lacks it). A few upstream
     * option lines are garbled ("Most of the spirits on the C.S City market…"): an option line that does not start
     * with its letter is kept whole, as the fixed layout still says which option it is.
     */
    static List<Sample> logiqa(String dataset, Path file, int limit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssayException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Sample> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && (limit <= 0 || out.size() < limit)) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int start = i + 1;
            String where = file + ":" + start;
            String letter = lines.get(i).strip();
            if (!letter.matches("[a-dA-D]")) {
                throw new AssayException(where + ": expected a LogiQA record starting with its answer letter (a-d), found \"" + abbreviate(letter) + "\"");
            }
            if (i + 7 > lines.size()) throw new AssayException(where + ": a LogiQA record needs seven lines: the letter, passage, question and options A. to D.");
            for (int j = i + 1; j < i + 7; j++) {
                if (lines.get(j).isBlank()) throw new AssayException(file + ":" + (j + 1) + ": blank line inside a LogiQA record (letter, passage, question, four options)");
            }
            String question = lines.get(i + 1).strip() + "\n" + lines.get(i + 2).strip();
            List<String> options = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String line = lines.get(i + 3 + k).strip();
                String label = (char) ('A' + k) + ".";
                options.add(line.startsWith(label) ? line.substring(2).strip() : line);
            }
            int correct = Character.toUpperCase(letter.charAt(0)) - 'A';
            out.add(sample(dataset, start, where, question, options, correct));
            i += 7;
        }
        if (out.isEmpty()) throw new AssayException(file + ": no items");
        return out;
    }

    static Sample sample(String dataset, int line, String where, String question, List<String> texts, int correct) {
        if (texts.size() > 26) throw new AssayException(where + ": more than 26 options");
        if (texts.size() < 2) throw new AssayException(where + ": a multiple-choice item needs at least two options");
        List<String> options = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) options.add(" (" + (char) ('A' + i) + ")");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset", dataset);
        meta.put("line", line);
        meta.put("correct", correct);
        meta.put("question", question);
        meta.put("texts", List.copyOf(texts));
        return new Sample(dataset + ":" + line, Questions.format(question, texts), options, options.get(correct), meta);
    }

    private static String text(Records.Row row, JsonNode n, String field) {
        if (n == null || n.isNull() || !n.isValueNode()) throw new AssayException(row.where() + ": field '" + field + "' should be text");
        return n.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
