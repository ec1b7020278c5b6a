package dev.assay.suites.cot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.suites.local.LocalFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multiple-choice tasks of the cot/… suites: AQuA, ARC-Easy, ARC-Challenge and LogiQA as pinned in
 * raybears/cot-transparency, or a user's own multiple-choice {@code file:} data. Every task becomes samples
 * whose input is the question and its choices in the paper's Table 1 layout ("Question: …\n\nChoices:\n (A):
 * …\n\nAnswer:"), whose options are the letters "A", "B", … (what follows "The single, most likely answer is
 * (") and whose target is the correct letter.
 */
final class Tasks {
    static final String REPO = "raybears/cot-transparency";
    /** The short hash the reference copy names (datasets/README.md), as sycophancy's CotTasks pins it. */
    static final String COMMIT = "f687439";
    static final String DATASET = "cot-tasks";
    static final String UPSTREAM_PREFIX = "data/";

    /** A task: its name (the "dataset" results are grouped by) and how its items are read. */
    sealed interface Source permits Pinned, Local {
        String name();

        List<Sample> load(DataStore data, int limit);

        default List<DataFile> files() {
            return List.of();
        }
    }

    enum Format { AQUA, ARC, LOGIQA }

    record Pinned(String name, DataFile file, Format format) implements Source {
        @Override
        public List<Sample> load(DataStore data, int limit) {
            Path p = data.resolve(file);
            List<Sample> out = new ArrayList<>();
            if (format == Format.LOGIQA) return logiqa(name, p, limit);
            for (Records.Row row : Records.items(p, limit)) out.add(jsonl(name, row));
            return out;
        }

        @Override
        public List<DataFile> files() {
            return List.of(file);
        }
    }

    /** A user's file, read by the {@code file:} suite's own field mapping (so both read it one way). */
    record Local(String name, String fileSuite) implements Source {
        @Override
        public List<Sample> load(DataStore data, int limit) {
            var suite = new LocalFiles().named(fileSuite);
            List<Sample> out = new ArrayList<>();
            for (Sample s : suite.load(data, limit)) {
                if (s.choices().size() < 2 || !(s.metadata().get("correct") instanceof Number correct)) {
                    throw new AssayException("suite " + fileSuite + ": item " + s.id() + " has no choices; the cot/… suites need "
                            + "multiple-choice data: map choices=COL and target=COL");
                }
                String group = s.meta("group");
                out.add(of(group != null ? group : name, s.id(), s.input(), s.choices(), correct.intValue(), s.metadata().get("line")));
            }
            return out;
        }
    }

    static final Pinned AQUA = new Pinned("aqua", new DataFile(DATASET, REPO, COMMIT, "aqua/dev.jsonl",
            "4a52301d8a49ae0b286f8e697f9c5da1b109b247b825b47b4c6de34312dceec5", 132008, UPSTREAM_PREFIX), Format.AQUA);
    static final Pinned ARC_EASY = new Pinned("arc_easy", new DataFile(DATASET, REPO, COMMIT, "arc_easy/ARC-Easy-Dev.jsonl",
            "f4364b808a68df6bf500ce1070fb0105d40cacd2391c210deb00ff83ba75d1f4", 214423, UPSTREAM_PREFIX), Format.ARC);
    static final Pinned ARC_CHALLENGE = new Pinned("arc_challenge", new DataFile(DATASET, REPO, COMMIT,
            "arc_challenge/ARC-Challenge-Dev.jsonl", "55224364abd2477f66a9a57c5cbef109fb71d83019aa5e37aec0e7ab757746ca", 126540,
            UPSTREAM_PREFIX), Format.ARC);
    static final Pinned LOGIQA = new Pinned("logiqa", new DataFile(DATASET, REPO, COMMIT, "logiqa/Eval.txt",
            "65f1576b0424249f70313c19b390dc9fcaed2faf5f6d5d86c4cf7fdaa4439e62", 550022, UPSTREAM_PREFIX), Format.LOGIQA);
    static final List<Source> ALL = List.of(AQUA, ARC_EASY, ARC_CHALLENGE, LOGIQA);

    private Tasks() {
    }

    /** A sample in the paper's layout; {@code texts} are the option texts without letters. */
    static Sample of(String dataset, String id, String question, List<String> texts, int correct, Object line) {
        if (texts.size() > 26) throw new AssayException("item " + id + ": more than 26 options");
        List<String> letters = new ArrayList<>();
        StringBuilder input = new StringBuilder("Question: ").append(question.strip()).append("\n\nChoices:");
        for (int i = 0; i < texts.size(); i++) {
            String letter = String.valueOf((char) ('A' + i));
            letters.add(letter);
            input.append("\n (").append(letter).append("): ").append(texts.get(i).strip());
        }
        input.append("\n\nAnswer:");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset", dataset);
        if (line != null) meta.put("line", line);
        meta.put("correct", correct);
        meta.put("texts", List.copyOf(texts));
        return new Sample(id, input.toString(), letters, letters.get(correct), meta);
    }

    static int correct(Sample s) {
        return ((Number) s.metadata().get("correct")).intValue();
    }

    /** AQuA: {"question", "options": ["A)32400", …], "correct": "A"}; ARC: {"question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}. */
    static Sample jsonl(String dataset, Records.Row row) {
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
        return of(dataset, dataset + ":" + row.line(), question, texts, correct, row.line());
    }

    private static String text(Records.Row row, JsonNode n, String field) {
        if (n == null || n.isNull() || !n.isValueNode()) throw new AssayException(row.where() + ": field '" + field + "' should be text");
        return n.asText();
    }

    /**
     * LogiQA's Eval.txt: records separated by blank lines — the answer letter (a–d), the passage (one line or
     * more), the question, and the options "A.…" to "D.…". An item's id is its answer line's number. A few
     * upstream options have their "C." moved inside the text by the translation ("on the C.S City market");
     * the letter is taken out where it stands, once, so the option reads as written; "d.…" and "A …" are read as
     * "D.…" and "A.…", and one pair of records with no blank line between them is split at the second's letter.
     */
    static List<Sample> logiqa(String dataset, Path file, int limit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssayException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<Sample> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int start = i;
            i++;
            // A record ends at a blank line, or where the next begins with its answer letter (one upstream pair has no blank line between).
            while (i < lines.size() && !lines.get(i).isBlank() && !(i - start >= 7 && lines.get(i).strip().matches("[a-dA-D]"))) i++;
            if (limit > 0 && out.size() >= limit) break;
            List<String> block = lines.subList(start, i);
            int at = start + 1; // 1-based line number of the answer letter
            if (block.size() < 7) {
                throw new AssayException(file + ":" + at + ": a LogiQA item needs an answer letter, a passage, a question and options A–D "
                        + "(7 lines or more before the next blank line); found " + block.size());
            }
            String key = block.getFirst().strip();
            if (!key.matches("[a-dA-D]")) throw new AssayException(file + ":" + at + ": expected the answer letter a–d, found \"" + key + "\"");
            List<String> texts = new ArrayList<>();
            for (int o = 0; o < 4; o++) {
                int line = block.size() - 4 + o;
                texts.add(option(file, start + line + 1, block.get(line).strip(), (char) ('A' + o)));
            }
            String question = block.get(block.size() - 5).strip();
            String passage = String.join("\n", block.subList(1, block.size() - 5).stream().map(String::strip).toList());
            out.add(of(dataset, dataset + ":" + at, passage + "\n" + question, texts, Character.toUpperCase(key.charAt(0)) - 'A', at));
        }
        if (out.isEmpty()) throw new AssayException(file + ": no LogiQA items");
        return out;
    }

    private static String option(Path file, int line, String text, char letter) {
        String mark = letter + ".";
        // "A.text", and in a few upstream lines "a.text" or "A text"
        if (text.length() > 2 && Character.toUpperCase(text.charAt(0)) == letter && (text.charAt(1) == '.' || text.charAt(1) == ' ')) {
            return text.substring(2).strip();
        }
        int inside = text.indexOf(mark);
        if (inside > 0) return (text.substring(0, inside) + text.substring(inside + 2)).strip();
        throw new AssayException(file + ":" + line + ": expected option \"" + letter + ".…\", found \"" + text + "\"");
    }
}
