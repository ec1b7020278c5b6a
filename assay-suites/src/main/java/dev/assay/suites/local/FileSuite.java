package dev.assay.suites.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.agent.AgentLimits;
import dev.assay.step.Agent;
import dev.assay.step.Ask;
import dev.assay.step.Choose;
import dev.assay.step.MultipleChoice;
import dev.assay.step.Reply;
import dev.assay.suite.Key;
import dev.assay.suite.Dialogue;
import dev.assay.metric.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.Transcript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's own JSONL/CSV/TSV file as a suite (SPEC §4): {@code file:PATH#input=COL,choices=COL,target=COL}.
 * Fields are mapped by name: {@code input} (default "input", else "question"), {@code choices} (a JSON list,
 * a "|"-separated text, or several columns joined with "+"), {@code target} (the right choice's text,
 * letter or 0-based index; or the expected text), {@code id} (default: the line number) and {@code group}
 * (a column to break results down by). {@code scorer} is {@code choice} (default with choices: option
 * log-likelihood, accuracy and P(correct)), {@code exact} or {@code includes} (generation, case-insensitive).
 *
 * <p>Agent mode: {@code environment=DIR} (a directory, relative to the data file's folder) makes each item a
 * task for an agent. Every (sample, epoch) gets a fresh sandbox ({@code sandbox=NAME}, default bwrap) copied
 * from DIR; the input is the task, the model works with the shell tool (the {@link Agent} step, chat format by
 * default) until it answers without a tool call or a limit stops it (-S turns, tokens, wall_seconds,
 * output_bytes), and its last text is scored against the target ({@code includes} by default). Metrics:
 * accuracy and completed (the episodes the model ended itself).
 */
final class FileSuite implements Suite {
    static final String PREFIX = "file:";
    static final String PREFILL = "The answer is";
    static final int MAX_TOKENS = 256;
    static final Key<String> TEXT = Key.text("text");

    private final String name;
    private final Path file;
    private final Map<String, String> fields;
    private final String scorer;
    /** Agent mode: the fixture directory every sample's sandbox starts from, or null. */
    private final Path environment;

    private FileSuite(String name, Path file, Map<String, String> fields, String scorer) {
        this.name = name;
        this.file = file;
        this.fields = fields;
        this.scorer = scorer;
        String env = fields.get("environment");
        Path dir = file.toAbsolutePath().getParent();
        this.environment = env == null ? null : dir == null ? Path.of(env) : dir.resolve(env);
    }

    /** Parses "file:PATH#key=value,…"; options are input, choices, target, id, group, scorer. */
    static FileSuite parse(String name) {
        String rest = name.substring(PREFIX.length());
        int hash = rest.indexOf('#');
        Path file = Path.of(hash < 0 ? rest : rest.substring(0, hash));
        Map<String, String> fields = new LinkedHashMap<>();
        if (hash >= 0) {
            for (String kv : rest.substring(hash + 1).split(",")) {
                if (kv.isBlank()) continue;
                int eq = kv.indexOf('=');
                String key = eq < 0 ? kv : kv.substring(0, eq).strip();
                if (eq < 0 || !List.of("input", "choices", "target", "id", "group", "scorer", "environment", "sandbox").contains(key)) {
                    throw new AssayException("suite " + name + ": '" + kv + "' is not a field mapping; use input=COL, choices=COL, "
                            + "target=COL, id=COL, group=COL, scorer=choice|exact|includes, environment=DIR or sandbox=NAME, "
                            + "separated by commas after '#'");
                }
                fields.put(key, kv.substring(eq + 1).strip());
            }
        }
        boolean agent = fields.containsKey("environment");
        if (agent && fields.containsKey("choices")) {
            throw new AssayException("suite " + name + ": environment=DIR makes each item a task for an agent in a sandbox, "
                    + "answered in free text; drop choices=COL");
        }
        if (!agent && fields.containsKey("sandbox")) {
            throw new AssayException("suite " + name + ": sandbox=NAME needs environment=DIR (the fixture directory)");
        }
        String scorer = fields.getOrDefault("scorer", fields.containsKey("choices") ? "choice" : agent ? "includes" : "exact");
        if (!List.of("choice", "exact", "includes").contains(scorer)) {
            throw new AssayException("suite " + name + ": scorer=" + scorer + " is not one of choice, exact, includes");
        }
        if (scorer.equals("choice") && !fields.containsKey("choices")) {
            throw new AssayException("suite " + name + ": scorer=choice needs choices=COL");
        }
        return new FileSuite(name, file, fields, scorer);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "local file " + file + (environment == null ? "" : ", each item a task for an agent in a sandbox copied from "
                + environment) + ", scored by " + scorer;
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        if (!Files.isRegularFile(file)) throw new AssayException("suite " + name + ": no such file " + file.toAbsolutePath());
        if (environment != null && !Files.isDirectory(environment)) {
            throw new AssayException("suite " + name + ": environment=" + fields.get("environment") + " is not a directory ("
                    + environment + "; a relative path is read from the data file's folder)");
        }
        List<Records.Row> rows = Records.read(file);
        if (rows.isEmpty()) throw new AssayException(file + ": no items");
        List<Sample> out = new ArrayList<>();
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        // An id names one item: seeds, resume and the log key on it, so a repeat would count one item twice.
        Map<String, Integer> lineOf = new java.util.HashMap<>();
        for (Records.Row row : rows) {
            if (limitPerFile > 0 && out.size() >= limitPerFile) break;
            String inputField = fields.getOrDefault("input", row.fields().has("input") ? "input" : "question");
            String input = row.text(inputField);
            List<String> choices = fields.containsKey("choices") ? choices(row, fields.get("choices")) : List.of();
            String target = fields.containsKey("target") ? row.text(fields.get("target")) : null;
            if (target == null) throw new AssayException(row.where() + ": no target: map one with target=COL");
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("line", row.line());
            if (!choices.isEmpty()) meta.put("correct", correctIndex(row, choices, target));
            if (fields.containsKey("group")) meta.put("group", row.text(fields.get("group")));
            String id = fields.containsKey("id") ? row.text(fields.get("id")) : stem + ":" + row.line();
            Integer first = lineOf.putIfAbsent(id, row.line());
            if (first != null) {
                throw new AssayException(row.where() + ": id \"" + id + "\" (column '" + fields.get("id") + "') is already the id of line "
                        + first + "; every item needs its own id. Fix the file, or drop id= to use line numbers as ids.");
            }
            out.add(new Sample(id, input, choices, target, meta));
        }
        return out;
    }

    private static List<String> choices(Records.Row row, String spec) {
        List<String> out = new ArrayList<>();
        if (spec.contains("+")) {
            for (String col : spec.split("\\+")) out.add(row.text(col.strip()));
        } else {
            JsonNode n = row.fields().get(spec);
            if (n != null && n.isTextual() && n.asText().contains("|")) {
                for (String c : n.asText().split("\\|")) out.add(c.strip());
            } else {
                out.addAll(row.texts(spec));
            }
        }
        if (out.size() < 2) throw new AssayException(row.where() + ": '" + spec + "' gives " + out.size() + " choice(s); at least 2 are needed");
        return out;
    }

    /** The target as the choice's text, its letter ("B", "(B)") or its 0-based index. */
    private static int correctIndex(Records.Row row, List<String> choices, String target) {
        String t = target.strip();
        int byText = choices.indexOf(t);
        if (byText >= 0) return byText;
        String letter = MultipleChoice.label(t);
        if (letter.length() == 1 && Character.isUpperCase(letter.charAt(0)) && letter.charAt(0) - 'A' < choices.size()) {
            return letter.charAt(0) - 'A';
        }
        try {
            int i = Integer.parseInt(t);
            if (i >= 0 && i < choices.size()) return i;
        } catch (NumberFormatException ignored) {
            // not an index either: fall through to the error
        }
        throw new AssayException(row.where() + ": target \"" + target + "\" is neither one of the choices, a letter A–"
                + (char) ('A' + choices.size() - 1) + ", nor an index 0–" + (choices.size() - 1));
    }

    static List<String> letters(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(" (" + (char) ('A' + i) + ")");
        return out;
    }

    @Override
    public Dialogue preview(Sample sample) {
        if (environment != null) return new Dialogue(List.of(dev.assay.model.Message.system(AGENT_SYSTEM),
                dev.assay.model.Message.user(sample.input())), "");
        if (sample.choices().isEmpty()) return Dialogue.ask(sample.input(), "");
        StringBuilder q = new StringBuilder(sample.input()).append("\n\nChoices:");
        for (int i = 0; i < sample.choices().size(); i++) {
            q.append("\n (").append((char) ('A' + i)).append(") ").append(sample.choices().get(i));
        }
        return Dialogue.ask(q.append("\n\nAnswer:").toString(), PREFILL);
    }

    /** The agent's system prompt in agent mode: where it is and how to finish. */
    static final String AGENT_SYSTEM = "You are working in a Linux sandbox: your working directory holds the task's files. "
            + "Use the bash tool to run commands. When you are done, reply with your final answer and no tool call.";

    static final Agent AGENT = Agent.of("agent", AgentLimits.DEFAULT);

    /** The agent step with the run's limits (-S turns=, tokens=, wall_seconds=, output_bytes=). */
    static Agent agent(dev.assay.suite.SolveContext c) {
        AgentLimits d = AgentLimits.DEFAULT.withTurns(DEFAULT_TURNS).withWallTime(java.time.Duration.ofSeconds(300));
        int turns = c.intParam("turns", d.turns());
        int tokens = c.intParam("tokens", 0);
        int wall = c.intParam("wall_seconds", (int) d.wallTime().toSeconds());
        int output = c.intParam("output_bytes", (int) d.outputBytes());
        try {
            return Agent.of("agent", new AgentLimits(turns, tokens, java.time.Duration.ofSeconds(wall), output));
        } catch (IllegalArgumentException e) {
            throw new AssayException("-S turns/tokens/wall_seconds/output_bytes: " + e.getMessage());
        }
    }

    static final int DEFAULT_TURNS = 10;

    @Override
    public Solver solver() {
        if (environment != null) {
            return Solver.chain(Ask.sample(this::preview), s -> s.transcript().method(Choose.GENERATIVE),
                    s -> agent(s.context()).solve(s));
        }
        if (scorer.equals("choice")) {
            return Solver.chain(Ask.sample(this::preview), new Choose("answer", s -> letters(s.sample().choices().size()), Choose.ANSWER));
        }
        Reply answer = new Reply("answer", MAX_TOKENS, 0.0, false, List.of(), null, true, TEXT);
        return Solver.chain(Ask.sample(this::preview), s -> s.transcript().method(Choose.GENERATIVE), answer);
    }

    @Override
    public boolean choosesOptions() {
        return scorer.equals("choice");
    }

    @Override
    public Scorer scorer() {
        return (sample, t, ctx) -> {
            Map<String, Double> s = new LinkedHashMap<>();
            if (scorer.equals("choice")) {
                int correct = ((Number) sample.metadata().get("correct")).intValue();
                double[] probs = Key.array(t.get(Choose.ANSWER.probs()));
                Integer choice = t.get(Choose.ANSWER.choice());
                if (probs != null) {
                    boolean top = true;
                    for (int i = 0; i < probs.length; i++) top &= i == correct || probs[correct] > probs[i];
                    s.put("accuracy", top ? 1.0 : 0.0);
                    s.put("p_correct", probs[correct]);
                } else if (choice != null) {
                    s.put("accuracy", choice == correct ? 1.0 : 0.0);
                    s.put("unparsed", 0.0);
                } else {
                    s.put("unparsed", 1.0);
                }
            } else {
                String text = String.valueOf(t.get(environment != null ? AGENT.text() : TEXT)).strip().toLowerCase(Locale.ROOT);
                if (environment != null) s.put("completed", "no tool calls".equals(t.get(AGENT.stop())) ? 1.0 : 0.0);
                String target = sample.target().strip().toLowerCase(Locale.ROOT);
                s.put("accuracy", (scorer.equals("exact") ? text.equals(target) : text.contains(target)) ? 1.0 : 0.0);
            }
            return s;
        };
    }

    @Override
    public List<Metric> metrics() {
        var accuracy = new Metric.Mean("accuracy", "fraction of items answered correctly (" + scorer + ")", "accuracy");
        if (environment != null) {
            return List.of(accuracy, new Metric.Mean("completed",
                    "fraction of agent episodes the model ended itself (not stopped by a limit)", "completed"));
        }
        return List.of(accuracy,
                new Metric.Mean("p_correct", "mean renormalised probability of the correct choice", "p_correct"),
                new Metric.Mean("unparsed", "fraction of generated answers naming no choice", "unparsed"));
    }

    @Override
    public List<String> groupBy() {
        return fields.containsKey("group") ? List.of("group") : List.of();
    }

    @Override
    public int callsPerSample() {
        return environment != null ? DEFAULT_TURNS : 1;
    }

    @Override
    public dev.assay.suite.Environment environment() {
        if (environment == null) return null;
        return new dev.assay.suite.Environment(s -> environment,
                dev.assay.sandbox.Limits.DEFAULT.withWallTime(java.time.Duration.ofSeconds(60)), fields.get("sandbox"));
    }

    @Override
    public dev.assay.suite.PromptFormat defaultFormat() {
        return environment != null ? dev.assay.suite.PromptFormat.CHAT : dev.assay.suite.PromptFormat.RAW;
    }

    @Override
    public List<dev.assay.suite.SuiteParameter> parameters() {
        if (environment == null) return List.of();
        return List.of(new dev.assay.suite.SuiteParameter("turns", String.valueOf(DEFAULT_TURNS), "model calls per episode at most"),
                new dev.assay.suite.SuiteParameter("tokens", "0", "tokens (prompt + completion) per episode at most; 0: no limit"),
                new dev.assay.suite.SuiteParameter("wall_seconds", "300", "wall time per episode, in seconds"),
                new dev.assay.suite.SuiteParameter("output_bytes", String.valueOf(AgentLimits.DEFAULT.outputBytes()),
                        "bytes of tool output shown to the model per episode at most"));
    }
}
