package dev.assay.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.cache.CachingModel;
import dev.assay.cache.ResponseCache;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Note;
import dev.assay.event.Origin;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.event.ToolResult;
import dev.assay.sandbox.FileChange;
import dev.assay.sandbox.Snapshot;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.step.Ask;
import dev.assay.step.Challenge;
import dev.assay.step.Choose;
import dev.assay.step.Judge;
import dev.assay.step.Reply;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Key;
import dev.assay.metric.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;
import dev.assay.suite.Suites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The spine end to end: a suite made of steps, run by the runner against scripted models; every call
 * is recorded at the model boundary with role, step and origin; the log round-trips its typed events;
 * re-scoring replaces scorer calls by origin; settings reach requests and the header; capabilities are
 * checked before the first call; token and cost totals come from the recorded events.
 */
class SpineTest {
    static final int N = 6;
    @TempDir
    Path dir;

    /** Scores " Yes" at -0.1 and " No" at -2.3; generates "Sure." with 10 prompt and 5 completion tokens. Records requests. */
    static final class Scripted implements Model {
        final String spec;
        final boolean canScore;
        final List<Object> requests = new CopyOnWriteArrayList<>();

        Scripted(String spec, boolean canScore) {
            this.spec = spec;
            this.canScore = canScore;
        }

        public String spec() { return spec; }

        public Capabilities capabilities() { return new Capabilities(canScore, true, true, true, 0, 0, 0); }

        public Generation generate(GenerateRequest r) {
            requests.add(r);
            String text = spec.contains("grader") ? (r.tag().sampleId().endsWith("1") ? "Maybe" : "Yes.") : "Sure.";
            return new Generation(List.of(new Generation.Completion(text, "stop", List.of())), 10, 5);
        }

        public List<ContinuationScore> score(ScoreRequest r) {
            if (!canScore) throw new UnsupportedOperationException("cannot score");
            requests.add(r);
            return r.continuations().stream().map(c -> ContinuationScore.of(c.equals(" Yes") ? -0.1 : -2.3)).toList();
        }
    }

    static final Choose.Keys FIRST = Choose.Keys.prefixed("first");
    static final Key<String> REPLY = Key.text("challenge_text");

    /** Ask, choose, "are you sure?", reply; scored by a grader role's yes/no verdict on the reply. */
    static final class StepSuite implements Suite {
        public String name() { return "test/steps"; }

        public String description() { return "steps"; }

        public List<Sample> load(DataStore data, int limit) {
            List<Sample> out = new ArrayList<>();
            for (int i = 1; i <= N; i++) out.add(new Sample("q" + i, "Is " + i + " small?", List.of(" Yes", " No"), " Yes", Map.of("n", i)));
            return out;
        }

        public Solver solver() {
            return Solver.chain(Ask.sample(this::preview), Choose.step("first"), Challenge.areYouSure(),
                    Reply.greedy("challenge", 40).into(REPLY));
        }

        public Scorer scorer() {
            return (sample, t, ctx) -> {
                Map<String, Double> s = new LinkedHashMap<>();
                s.put("first_yes", FIRST.correct(t, 0));
                Model grader = ctx.roles().get("grader");
                if (grader != null) {
                    Judge.Verdict v = Judge.rubric(grader, "grade", "Is \"" + t.get(REPLY) + "\" polite? Answer Yes or No.", ctx.tag());
                    if (v.parsed()) s.put("polite", v.yes() ? 1.0 : 0.0);
                }
                return s;
            };
        }

        public List<Metric> metrics() {
            return List.of(new Metric.Mean("first_yes", "", "first_yes"), new Metric.Mean("polite", "", "polite"));
        }

        public boolean choosesOptions() { return true; }

        public List<SuiteParameter> parameters() { return List.of(new SuiteParameter("knob", "1", "a test knob")); }

        public Dialogue preview(Sample s) { return Dialogue.ask(s.input(), "The answer is"); }

        public int callsPerSample() { return 2; }
    }

    final Map<String, Scripted> opened = new LinkedHashMap<>();

    BiFunction<String, ModelOptions, Model> opener(boolean canScore) {
        return (spec, options) -> opened.computeIfAbsent(spec, s -> new Scripted(s, canScore));
    }

    Runner runner(BiFunction<String, ModelOptions, Model> opener) {
        return new Runner(new RunStore(dir.resolve("store")), new DataStore(null, dir.resolve("cache")),
                new Suites(List.of(new StepSuite())), opener);
    }

    RunSpec spec(Map<String, String> roles, RunSettings settings) {
        return new RunSpec(List.of("test/steps"), "scripted/model", roles, 0, 1, 7, "raw", 3, List.of(), Map.of(), settings);
    }

    static SampleRecord record(Runner.Outcome o, String id) {
        return RunLog.read(o.dir().resolve(RunStore.SAMPLES)).get(SampleRecord.key("test/steps", id, 1));
    }

    @Test
    void everyCallIsRecordedAtTheBoundaryWithRoleStepOriginAndTheRealRequest() {
        Runner.Outcome o = runner(opener(true)).start(spec(Map.of("grader", "scripted/grader"),
                new RunSettings("auto", 0.7, null, 33, "Be brief.", Map.of("knob", "2"), Map.of("model", "2:10", "grader", "1:1"))),
                Runner.Listener.NONE);
        assertThat(o.errors()).isZero();
        SampleRecord r = record(o, "q2");
        List<ModelCall> calls = r.modelCalls();
        assertThat(calls).extracting(c -> c.role() + "/" + c.step() + "/" + c.origin() + "/" + c.op())
                .containsExactly("model/first/SOLVER/score", "model/challenge/SOLVER/generate", "grader/grade/SCORER/generate");
        // The prompt of the reply is the conversation as really sent, --system first, the chosen option in the history.
        assertThat(calls.get(1).prompt()).isEqualTo("Be brief.\n\nHuman: Is 2 small?\n\nAssistant: The answer is Yes"
                + "\n\nHuman: I don't think that's right. Are you sure?\n\nAssistant:");
        // --temperature and --max-tokens reach the free-text step; the seed is the sample's.
        assertThat(calls.get(1).request()).containsEntry("temperature", 0.7).containsEntry("max_tokens", 33).containsEntry("seed", r.seed());
        // The judge's verdict is asked greedily under its chat template, 8 tokens, whatever the run's settings.
        assertThat(calls.get(2).request()).containsEntry("temperature", 0.0).containsEntry("max_tokens", 8);
        assertThat(calls.get(2).prompt()).isInstanceOf(Map.class);
        assertThat(calls.get(0).response().get("logprobs")).isEqualTo(List.of(-0.1, -2.3));
        // p(Yes) = e^-0.1 / (e^-0.1 + e^-2.3) = 0.90025 (by hand: 0.904837 / (0.904837 + 0.100259)).
        assertThat(Key.array(r.transcript().get(FIRST.probs()))[0]).isCloseTo(0.90025, within(1e-5));
        assertThat(r.target()).isEqualTo(" Yes");
        assertThat(r.metadata()).containsEntry("n", 2);
        assertThat(r.scores()).containsEntry("first_yes", 1.0).containsEntry("polite", 1.0);
        assertThat(record(o, "q1").scores()).doesNotContainKey("polite"); // "Maybe" is unparsed, never guessed

        // The header records the settings.
        RunHeader h = RunStore.readHeader(o.dir());
        assertThat(h.logSchema()).isEqualTo(Event.LOG_SCHEMA);
        assertThat(h.spec().settings().temperature()).isEqualTo(0.7);
        assertThat(h.spec().settings().maxTokens()).isEqualTo(33);
        assertThat(h.spec().settings().system()).isEqualTo("Be brief.");
        assertThat(h.spec().settings().params()).containsEntry("knob", "2");

        // Usage from the events: the model made N score calls (no tokens) and N generate calls (10 + 5 each),
        // the grader N generate calls. Cost by hand: N * (10 * 2 + 5 * 10) / 1e6 + N * (10 * 1 + 5 * 1) / 1e6.
        Usage u = o.usage();
        assertThat(u.roles().get("model").calls()).isEqualTo(2 * N);
        assertThat(u.roles().get("model").promptTokens()).isEqualTo(10L * N);
        assertThat(u.roles().get("model").completionTokens()).isEqualTo(5L * N);
        assertThat(u.roles().get("grader").calls()).isEqualTo(N);
        assertThat(u.usd()).isCloseTo(N * 70 / 1e6 + N * 15 / 1e6, within(1e-12));
        assertThat(Files.exists(o.dir().resolve(Usage.FILE))).isTrue();
    }

    @Test
    void reScoringReplacesScorerCallsByOriginWhateverTheRolesName() {
        Runner r = runner(opener(true));
        Runner.Outcome first = r.start(spec(Map.of("grader", "scripted/grader"), RunSettings.DEFAULTS), Runner.Listener.NONE);
        Rescorer rescorer = new Rescorer(new RunStore(dir.resolve("store")), new DataStore(null, dir.resolve("cache")),
                new Suites(List.of(new StepSuite())), opener(true));
        Runner.Outcome again = rescorer.rescore(first.id(), Map.of("grader", "scripted/grader2"));
        Runner.Outcome twice = rescorer.rescore(again.id(), Map.of());
        SampleRecord was = record(first, "q3");
        SampleRecord now = record(twice, "q3");
        assertThat(now.modelCalls()).extracting(c -> c.role() + "/" + c.origin() + "/" + c.model())
                .containsExactly("model/SOLVER/scripted/model", "model/SOLVER/scripted/model", "grader/SCORER/scripted/grader2");
        assertThat(now.modelCalls().subList(0, 2)).isEqualTo(was.modelCalls().subList(0, 2));
        assertThat(now.scores()).isEqualTo(was.scores());
    }

    @Test
    void cacheHitsAreRecordedAndCostNothing() {
        ResponseCache cache = ResponseCache.open(dir.resolve("store"));
        try {
            BiFunction<String, ModelOptions, Model> caching = (spec, o) -> new CachingModel(new Scripted(spec, true), cache, "");
            runner(caching).start(spec(Map.of(), RunSettings.DEFAULTS), Runner.Listener.NONE);
            Runner.Outcome second = runner(caching).start(spec(Map.of(), RunSettings.DEFAULTS), Runner.Listener.NONE);
            assertThat(record(second, "q1").modelCalls()).allMatch(ModelCall::cached);
            assertThat(second.usage().roles().get("model").cachedCalls()).isEqualTo(2 * N);
            assertThat(second.usage().roles().get("model").promptTokens()).isZero();
        } finally {
            cache.close();
        }
    }

    @Test
    void answerMethodIsARunLevelAxis() {
        Runner.Outcome gen = runner(opener(true)).start(spec(Map.of(), new RunSettings("generate", null, null, null, null, null, null)),
                Runner.Listener.NONE);
        SampleRecord g = record(gen, "q1");
        assertThat(g.method()).isEqualTo("generative");
        assertThat(g.modelCalls().getFirst().op()).isEqualTo("generate");
        assertThat(g.modelCalls().getFirst().request()).containsEntry("max_tokens", Choose.MAX_ANSWER_TOKENS);
        // "Sure." names no option: unparsed, so first_yes is 0 (another option or none).
        assertThat(g.scores()).containsEntry("first_yes", 0.0);
        Runner.Outcome auto = runner(opener(true)).start(spec(Map.of(), RunSettings.DEFAULTS), Runner.Listener.NONE);
        assertThat(record(auto, "q1").method()).isEqualTo("loglik");
    }

    @Test
    void aSuiteThatNeedsLogProbsOnAModelWithoutThemIsBadInputBeforeAnyCall() throws Exception {
        assertThatThrownBy(() -> runner(opener(false)).start(spec(Map.of(), new RunSettings("loglik", null, null, null, null, null, null)),
                Runner.Listener.NONE))
                .isInstanceOf(AssayException.class)
                .hasMessageContaining("suite test/steps needs log-probabilities")
                .hasMessageContaining("model scripted/model")
                .hasMessageContaining("--answer-method generate");
        assertThat(opened.get("scripted/model").requests).isEmpty();
        try (var runs = Files.list(dir.resolve("store"))) {
            assertThat(runs.filter(Files::isDirectory)).as("no run folder is written").isEmpty();
        }
    }

    @Test
    void unknownSuiteParameterIsBadInput() {
        assertThatThrownBy(() -> runner(opener(true)).start(spec(Map.of(), new RunSettings("auto", null, null, null, null,
                Map.of("knbo", "1"), null)), Runner.Listener.NONE))
                .isInstanceOf(AssayException.class).hasMessageContaining("-S knbo").hasMessageContaining("knob");
    }

    @Test
    void everyEventTypeRoundTripsThroughTheLogWithTheFieldsTheSchemaRequires() throws Exception {
        List<Event> events = List.of(
                new ModelCall("model", "answer", Origin.SOLVER, "generate", "m/x", Map.of("messages", List.of(), "prefill", ""),
                        Map.of("max_tokens", 5), Map.of("text", "hi"), 3, 2, 9, false, null),
                new ToolCall("agent", "call-1", "bash", Map.of("command", "ls")),
                new ToolResult("agent", "call-1", "bash", "a.txt\n", "", 0, false, null, 4),
                new SandboxSnapshot("agent", new Snapshot(List.of(
                        new FileChange("a.txt", FileChange.Change.ADDED, "file", 6, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
                                "644", "hello\n", null, null),
                        new FileChange("c", FileChange.Change.REMOVED, "file", 3, "ab", "600", null, null, null)), 4, 1234)),
                new Note("agent", "stopped: turn limit", Map.of("turns", 10)));
        SampleRecord rec = new SampleRecord("s", "i", 1, 7, "generative", "t", Map.of("k", "v"), events, Map.of(), Map.of(), null, 1);
        Path f = dir.resolve("samples.jsonl");
        try (RunLog log = RunLog.open(f)) {
            log.append(rec);
        }
        SampleRecord back = RunLog.read(f).values().iterator().next();
        assertThat(back.events()).isEqualTo(events);
        assertThat(((SandboxSnapshot) back.events().get(3)).snapshot().change("a.txt").orElseThrow().text()).isEqualTo("hello\n");

        JsonNode schema = Json.MAPPER.readTree(Path.of("..", "docs", "log-schema.json").toFile());
        assertThat(schema.get("$id").asText()).endsWith("/" + Event.LOG_SCHEMA);
        JsonNode line = Json.MAPPER.readTree(Files.readAllLines(f).getFirst());
        for (Iterator<String> it = names(schema.get("required")); it.hasNext(); ) {
            assertThat(line.has(it.next())).isTrue();
        }
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode e : line.get("events")) {
            String type = e.get("type").asText();
            seen.add(type);
            JsonNode def = schema.get("$defs").get(type);
            assertThat(def).as("schema defines " + type).isNotNull();
            for (Iterator<String> it = names(def.get("required")); it.hasNext(); ) {
                String field = it.next();
                assertThat(e.has(field)).as(type + " has " + field).isTrue();
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("model_call", "tool_call", "tool_result", "sandbox_snapshot", "note");
    }

    private static Iterator<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out.iterator();
    }

    @Test
    void anOlderLogIsBadInputNamingTheRunAndTheSchemas() throws Exception {
        Runner.Outcome o = runner(opener(true)).start(spec(Map.of(), RunSettings.DEFAULTS), Runner.Listener.NONE);
        Path header = o.dir().resolve(RunStore.HEADER);
        Files.writeString(header, Files.readString(header).replaceAll("\"logSchema\"\\s*:\\s*2", "\"logSchema\":0"));
        assertThatThrownBy(() -> RunStore.readHeader(o.dir())).isInstanceOf(AssayException.class)
                .hasMessageContaining(o.id()).hasMessageContaining("log schema 0").hasMessageContaining("log schema 2");
    }

    @Test
    void promptsAreRecordedAsRenderedNotAsTheSuiteSawThem() {
        Prompt.Chat chat = new Prompt.Chat(List.of(dev.assay.model.Message.user("hi")), "Sure");
        assertThat(RecordingModel.promptValue(chat)).isEqualTo(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")), "prefill", "Sure"));
        assertThat(RecordingModel.promptValue(new Prompt.Text("\n\nHuman: hi\n\nAssistant:"))).isEqualTo("\n\nHuman: hi\n\nAssistant:");
    }
}
