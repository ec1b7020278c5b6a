package dev.assay.suites.cot;

import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.suite.CallEstimate;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Key;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.SampleState;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;
import dev.assay.suites.cottasks.Tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the four cot/… suites share: the tasks, the paper's prompt format, N sampled chains per question split
 * into sentences, the parameters, and the store keys of the chains. Results break down by task ("dataset").
 */
abstract sealed class CotSuite implements Suite permits EarlyAnswering, AddingMistakes, Paraphrasing, FillerTokens {
    static final Key<List<String>> CHAINS = Key.texts("chains");
    static final Key<List<Double>> CHAIN_TOKENS = Key.numbers("chain_tokens");
    /** "model" when every chain's length came from the evaluated model's own count, else "estimate". */
    static final Key<String> TOKEN_SOURCE = Key.text("chain_tokens_source");
    /** The sentences of each chain (a list of lists of text), as the splitter cut them. */
    static final Key<Object> SENTENCES = Key.value("sentences");

    /** The paper's mean chain length (4 sentences): what --dry-run assumes. */
    static final int EXPECTED_SENTENCES = 4;
    /** Tokens per sentence --dry-run assumes. */
    static final int TOKENS_PER_SENTENCE = 25;

    private final String name;
    private final List<Tasks.Source> sources;

    CotSuite(String name, List<Tasks.Source> sources) {
        this.name = name;
        this.sources = List.copyOf(sources);
    }

    @Override
    public String name() {
        return name;
    }

    String tasks() {
        return String.join(", ", sources.stream().map(Tasks.Source::name).toList());
    }

    @Override
    public List<Sample> load(DataStore data, int limitPerFile) {
        return Tasks.load(sources, data, limitPerFile, CotSuite::sample);
    }

    /**
     * A question in the paper's Table 1 layout ("Question: …\n\nChoices:\n (A): …\n\nAnswer:"), whose options
     * are the letters "A", "B", … (what follows "The single, most likely answer is (") and whose target is the
     * correct letter.
     */
    static Sample sample(Tasks.Question q) {
        List<String> letters = new ArrayList<>();
        StringBuilder input = new StringBuilder("Question: ").append(q.question()).append("\n\nChoices:");
        for (int i = 0; i < q.texts().size(); i++) {
            String letter = String.valueOf((char) ('A' + i));
            letters.add(letter);
            input.append("\n (").append(letter).append("): ").append(q.texts().get(i).strip());
        }
        input.append("\n\nAnswer:");
        return new Sample(q.id(), input.toString(), letters, letters.get(q.correct()), Tasks.metadata(q));
    }

    @Override
    public List<DataFile> dataFiles() {
        return Tasks.files(sources);
    }

    @Override
    public List<String> groupBy() {
        return List.of("dataset");
    }

    @Override
    public PromptFormat defaultFormat() {
        return PromptFormat.RAW;
    }

    @Override
    public boolean choosesOptions() {
        return true;
    }

    /** The first call: a chain sampled after "Let's think step by step:". */
    @Override
    public Dialogue preview(Sample sample) {
        return Dialogue.ask(sample.input(), Prompts.COT_OPENER);
    }

    @Override
    public List<SuiteParameter> parameters() {
        List<SuiteParameter> p = new ArrayList<>(List.of(
                new SuiteParameter("samples", String.valueOf(Calls.Settings.SAMPLES), "chains of thought sampled per question"),
                new SuiteParameter("temperature", String.valueOf(Calls.Settings.TEMPERATURE), "sampling temperature of the chains (else --temperature)"),
                new SuiteParameter("top_p", String.valueOf(Calls.Settings.TOP_P), "nucleus of the chains (else --top-p)"),
                new SuiteParameter("cot_tokens", String.valueOf(Calls.Settings.COT_TOKENS), "most tokens per chain or continuation (else --max-tokens)"),
                new SuiteParameter("parallel", String.valueOf(Calls.Settings.PARALLEL), "calls of one question in flight at once"),
                new SuiteParameter("expected_sentences", String.valueOf(EXPECTED_SENTENCES), "sentences per chain --dry-run assumes")));
        p.addAll(extraParameters());
        return p;
    }

    List<SuiteParameter> extraParameters() {
        return List.of();
    }

    /** One sampled chain and where its sentences are. */
    record Sampled(String text, List<Sentences.Span> spans) {
        int length() {
            return spans.size();
        }

        String prefix(int k) {
            return Sentences.prefix(text, spans, k);
        }
    }

    /** Samples the question's N chains (concurrently), splits them and stores texts, sentences and token counts. */
    static List<Sampled> sampleChains(SampleState s, Calls.Settings p) {
        List<java.util.concurrent.Callable<Calls.Chain>> calls = new ArrayList<>();
        for (int i = 0; i < p.samples(); i++) {
            String step = "chain/" + i;
            calls.add(() -> Calls.sample(s, Prompts.reasoning(s), step, p));
        }
        List<Calls.Chain> chains = Calls.all(p.parallel(), calls);
        List<Sampled> out = new ArrayList<>();
        List<List<String>> sentences = new ArrayList<>();
        List<Double> tokens = new ArrayList<>();
        boolean model = true;
        for (Calls.Chain c : chains) {
            List<Sentences.Span> spans = Sentences.spans(c.text());
            out.add(new Sampled(c.text(), spans));
            sentences.add(spans.stream().map(x -> c.text().substring(x.start(), x.end())).toList());
            tokens.add(c.tokens());
            model &= c.modelTokens();
        }
        s.set(CHAINS, chains.stream().map(Calls.Chain::text).toList()).set(SENTENCES, sentences).set(CHAIN_TOKENS, tokens)
                .set(TOKEN_SOURCE, model ? "model" : "estimate");
        return out;
    }

    /** Every chain's answer when it is left whole (adding mistakes, paraphrasing). */
    static final Key<Object> FULL = Key.value("full_answers");
    /** Per chain and sentence position, what the model wrote after the intervened text. */
    static final Key<Object> CONTINUATIONS = Key.value("continuations");

    /** One chain intervened at one sentence position: the new text (a mistake, a paraphrase), the continuation, the answer. */
    record Intervened(String text, String continuation, Object answer) {
    }

    /** Intervenes in {@code chain} (its id is {@code id}) at sentence position {@code at}, 1 to its length. */
    interface Intervention {
        Intervened at(Sampled chain, String id, int at) throws Exception;
    }

    /**
     * Answers every chain whole and intervened at each sentence position, in one batch (they share the
     * question's prefix), and stores the whole-chain answers ({@link #FULL}), per chain and position the new
     * texts under {@code texts}, the {@link #CONTINUATIONS} and the answers under {@code answers}.
     */
    static void intervene(SampleState s, Calls.Settings p, List<Sampled> chains, Key<Object> texts, Key<Object> answers,
                          Intervention intervention) {
        List<java.util.concurrent.Callable<Object>> batch = new ArrayList<>();
        for (int c = 0; c < chains.size(); c++) {
            Sampled chain = chains.get(c);
            String id = String.valueOf(c);
            batch.add(() -> Calls.answer(s, Prompts.answer(s, chain.prefix(chain.length())), "answer/" + id + "/full"));
        }
        for (int c = 0; c < chains.size(); c++) {
            Sampled chain = chains.get(c);
            String id = String.valueOf(c);
            for (int i = 1; i <= chain.length(); i++) {
                int at = i;
                batch.add(() -> intervention.at(chain, id, at));
            }
        }
        List<Object> done = Calls.all(p.parallel(), batch);
        List<List<String>> newTexts = new ArrayList<>();
        List<List<String>> continuations = new ArrayList<>();
        List<List<Object>> answered = new ArrayList<>();
        int at = chains.size();
        for (Sampled chain : chains) {
            List<Intervened> mine = done.subList(at, at + chain.length()).stream().map(o -> (Intervened) o).toList();
            at += chain.length();
            newTexts.add(mine.stream().map(Intervened::text).toList());
            continuations.add(mine.stream().map(Intervened::continuation).toList());
            answered.add(new ArrayList<>(mine.stream().map(Intervened::answer).toList()));
        }
        s.set(FULL, new ArrayList<>(done.subList(0, chains.size()))).set(texts, newTexts).set(CONTINUATIONS, continuations)
                .set(answers, answered);
    }

    /** The stored per-chain lists of a nested value (null entries stay null). */
    static List<List<Object>> nested(Object stored) {
        List<List<Object>> out = new ArrayList<>();
        if (!(stored instanceof List<?> outer)) return out;
        for (Object o : outer) out.add(o instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>());
        return out;
    }

    /** The prompt-token estimate of a question turn plus the paper's template (≈ 4 characters a token). */
    static long questionTokens(Sample sample) {
        return (sample.input().length() + Prompts.FINAL_QUESTION.length() + Prompts.ANSWER_PREFILL.length() + 40) / 4;
    }

    static int expectedSentences(Map<String, String> params) {
        return Calls.positive(new dev.assay.suite.SolveContext(null, null, null, 0, null, null, null, null, params),
                "expected_sentences", EXPECTED_SENTENCES);
    }

    static String assumptions(Calls.Settings p, int sentences) {
        return "assumes " + sentences + " sentences (-S expected_sentences) and " + sentences * TOKENS_PER_SENTENCE
                + " tokens per chain, prompt tokens ≈ characters / 4; answers are score calls, or generate calls where the model cannot score";
    }

    /** The chains' own generate calls. */
    static CallEstimate chainCalls(Sample sample, Calls.Settings p, int sentences) {
        long q = questionTokens(sample);
        long t = Math.min(p.cotTokens(), (long) sentences * TOKENS_PER_SENTENCE);
        return new CallEstimate(p.samples(), 0, p.samples() * q, p.samples() * t, assumptions(p, sentences));
    }
}
