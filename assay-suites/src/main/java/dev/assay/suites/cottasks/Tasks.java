package dev.assay.suites.cottasks;

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
import java.util.List;

/**
 * The multiple-choice tasks of raybears/cot-transparency — AQuA, ARC-Easy, ARC-Challenge and LogiQA, pinned —
 * or a researcher's own multiple-choice {@code file:} data, read into {@link Question}s. One reader for every
 * family that asks them (sycophancy, cot, decomposition, backdoor): each lays a question out in its own
 * paper's prompt format.
 *
 * <p>The commit is the short hash the reference copy names (datasets/README.md); the full hash was not in the
 * code index. The local layout is {@code cot-tasks/aqua/dev.jsonl}, as in the reference copy.
 */
public final class Tasks {
    public static final String REPO = "raybears/cot-transparency";
    public static final String COMMIT = "f687439";
    public static final String DATASET = "cot-tasks";
    /** Upstream keeps the task folders under data/; the local copy drops that level. */
    public static final String UPSTREAM_PREFIX = "data/";

    /**
     * One question: the task (or group) it belongs to, its sample id, its line in the file (null if none), the
     * question text (stripped), the option texts without letters, and the index of the correct one.
     */
    public record Question(String dataset, String id, Integer line, String question, List<String> texts, int correct) {
        public Question {
            texts = List.copyOf(texts);
            if (texts.size() > 26) throw new AssayException("item " + id + ": more than 26 options");
            if (texts.size() < 2) throw new AssayException("item " + id + ": a multiple-choice item needs at least two options");
        }
    }

    /** A task: its name (the "dataset" results are grouped by) and how its questions are read. */
    public sealed interface Source permits Pinned, Local {
        String name();

        List<Question> load(DataStore data, int limit);

        default List<DataFile> files() {
            return List.of();
        }
    }

    /** A pinned upstream file: JSONL (AQuA or ARC, told apart by shape) or LogiQA's Eval.txt. */
    public record Pinned(String name, DataFile file) implements Source {
        @Override
        public List<Question> load(DataStore data, int limit) {
            Path p = data.resolve(file);
            if (p.getFileName().toString().endsWith(".txt")) return logiqa(name, p, limit);
            List<Question> out = new ArrayList<>();
            for (Records.Row row : Records.items(p, limit)) out.add(jsonl(name, row));
            return out;
        }

        @Override
        public List<DataFile> files() {
            return List.of(file);
        }
    }

    /**
     * A user's file, read by the {@code file:} suite's own field mapping (so both read it one way): {@code
     * fileSuite} is "file:PATH#input=…,choices=…,target=…". Questions are grouped by the mapped group column,
     * else by {@code name} (the file's stem).
     */
    public record Local(String name, String fileSuite) implements Source {
        /** The source for a suite named "…/file:PATH#mapping"; {@code fileSuite} starts at "file:". */
        public static Local of(String suiteName, String fileSuite) {
            String path = fileSuite.substring("file:".length()).replaceFirst("#.*$", "");
            if (path.isBlank()) throw new AssayException("suite " + suiteName + ": name a file after 'file:'");
            return new Local(Path.of(path).getFileName().toString().replaceFirst("\\.[^.]*$", ""), fileSuite);
        }

        @Override
        public List<Question> load(DataStore data, int limit) {
            var suite = new LocalFiles().named(fileSuite);
            List<Question> out = new ArrayList<>();
            for (Sample s : suite.load(data, limit)) {
                if (s.choices().size() < 2 || !(s.metadata().get("correct") instanceof Number correct)) {
                    throw new AssayException("suite " + fileSuite + ": item " + s.id() + " has no choices; this suite needs "
                            + "multiple-choice data: map choices=COL and target=COL");
                }
                String group = s.meta("group");
                Integer line = s.metadata().get("line") instanceof Number n ? n.intValue() : null;
                out.add(new Question(group != null ? group : name, s.id(), line, s.input().strip(), s.choices(), correct.intValue()));
            }
            return out;
        }
    }

    public static final Pinned AQUA = new Pinned("aqua", new DataFile(DATASET, REPO, COMMIT, "aqua/dev.jsonl",
            "4a52301d8a49ae0b286f8e697f9c5da1b109b247b825b47b4c6de34312dceec5", 132008, UPSTREAM_PREFIX));
    public static final Pinned ARC_EASY = new Pinned("arc_easy", new DataFile(DATASET, REPO, COMMIT, "arc_easy/ARC-Easy-Dev.jsonl",
            "f4364b808a68df6bf500ce1070fb0105d40cacd2391c210deb00ff83ba75d1f4", 214423, UPSTREAM_PREFIX));
    public static final Pinned ARC_CHALLENGE = new Pinned("arc_challenge", new DataFile(DATASET, REPO, COMMIT,
            "arc_challenge/ARC-Challenge-Dev.jsonl", "55224364abd2477f66a9a57c5cbef109fb71d83019aa5e37aec0e7ab757746ca", 126540,
            UPSTREAM_PREFIX));
    public static final Pinned LOGIQA = new Pinned("logiqa", new DataFile(DATASET, REPO, COMMIT, "logiqa/Eval.txt",
            "65f1576b0424249f70313c19b390dc9fcaed2faf5f6d5d86c4cf7fdaa4439e62", 550022, UPSTREAM_PREFIX));
    /** All four tasks, in the order results list them. */
    public static final List<Source> ALL = List.of(AQUA, ARC_EASY, ARC_CHALLENGE, LOGIQA);
    /** AQuA and the two ARC sets: what the sycophancy and password-locked suites ask. */
    public static final List<Source> AQUA_ARC = List.of(AQUA, ARC_EASY, ARC_CHALLENGE);

    private Tasks() {
    }

    /** The questions of {@code sources}, in order, each laid out by {@code layout}. */
    public static List<Sample> load(List<? extends Source> sources, DataStore data, int limitPerFile,
                                    java.util.function.Function<Question, Sample> layout) {
        List<Sample> out = new ArrayList<>();
        for (Source src : sources) for (Question q : src.load(data, limitPerFile)) out.add(layout.apply(q));
        return out;
    }

    /**
     * A question as cot-transparency's prompts write it — "Question: …\n\nChoices:\n (A) …\n (B) …" — with
     * options " (A)", " (B)", … and the correct one as target (the layout of Sharma et al.'s answer and
     * are-you-sure prompts and of Radhakrishnan et al.'s released prompts). Metadata: dataset, line, correct
     * (index), question, texts (option texts).
     */
    public static Sample sample(Question q) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < q.texts().size(); i++) options.add(" (" + (char) ('A' + i) + ")");
        return new Sample(q.id(), choices(q.question(), q.texts()), options, options.get(q.correct()), metadata(q));
    }

    /** "Question: …\n\nChoices:\n (A) …\n (B) …", the question turn of {@link #sample}. */
    public static String choices(String question, List<String> texts) {
        StringBuilder sb = new StringBuilder("Question: ").append(question).append("\n\nChoices:");
        for (int i = 0; i < texts.size(); i++) sb.append("\n (").append((char) ('A' + i)).append(") ").append(texts.get(i));
        return sb.toString();
    }

    /** A sample's metadata from its question: dataset, line (when known), correct (index), question, texts. */
    public static java.util.Map<String, Object> metadata(Question q) {
        java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("dataset", q.dataset());
        if (q.line() != null) meta.put("line", q.line());
        meta.put("correct", q.correct());
        meta.put("question", q.question());
        meta.put("texts", q.texts());
        return meta;
    }

    /** The pinned files of {@code sources}. */
    public static List<DataFile> files(List<? extends Source> sources) {
        return sources.stream().flatMap(s -> s.files().stream()).toList();
    }

    /** The correct option's index of a sample laid out from a {@link Question} (its metadata "correct"). */
    public static int correct(Sample s) {
        return ((Number) s.metadata().get("correct")).intValue();
    }

    /** AQuA: {"question", "options": ["A)32400", …], "correct": "A"}; ARC: {"question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}. */
    static Question jsonl(String dataset, Records.Row row) {
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
        if (texts.size() > 26) throw new AssayException(row.where() + ": more than 26 options");
        return new Question(dataset, dataset + ":" + row.line(), row.line(), question.strip(), texts, correct);
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
    static List<Question> logiqa(String dataset, Path file, int limit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssayException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<Question> out = new ArrayList<>();
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
            out.add(new Question(dataset, dataset + ":" + at, at, passage + "\n" + question, texts, Character.toUpperCase(key.charAt(0)) - 'A'));
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
