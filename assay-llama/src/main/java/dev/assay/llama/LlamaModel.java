package dev.assay.llama;

import dev.assay.AssayException;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.tools.TextToolProtocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A GGUF model run in-process by llama.cpp. Many virtual threads may call it at once: their calls queue up
 * for one worker thread that owns the llama.cpp context, and every score call waiting when the worker comes
 * round is packed with the others into as few {@code llama_decode} calls as fit (see {@link Engine#score}).
 * Tokenization and template rendering happen on the callers' threads.
 */
public final class LlamaModel implements Model {

    /**
     * How a model is opened; 0 means "choose" (context: min(4096, trained); threads: all cores).
     * {@code microBatch} is llama.cpp's n_ubatch: its compute buffer grows with n_ubatch x vocabulary, so a
     * small value saves memory at little cost in speed on CPUs.
     */
    public record Settings(int contextTokens, int threads, int sequences, int microBatch) {
        public static Settings defaults() {
            return new Settings(0, Runtime.getRuntime().availableProcessors(), 32, 128);
        }
    }

    private final String spec;
    private final Engine engine;
    private final String templateSource;
    private volatile ChatTemplate template; // built on first use: Jinjava is heavy and raw prompts never need it
    private final Capabilities capabilities;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    private sealed interface Job {
    }

    /** One score request, split into items (one per distinct tokenized prompt). */
    private record ScoreJob(List<Engine.Item> items, List<int[]> positions, int size,
                            CompletableFuture<ContinuationScore[]> result) implements Job {
    }

    private record Task<T>(Function<Engine, T> body, CompletableFuture<T> result) implements Job {
        void run(Engine e) {
            try {
                result.complete(body.apply(e));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }
    }

    private record Stop() implements Job {
    }

    public static LlamaModel open(String spec, Path file, Settings settings) {
        return new LlamaModel(spec, new Engine(file, settings.contextTokens(), settings.threads(), settings.sequences(), settings.microBatch()));
    }

    private LlamaModel(String spec, Engine engine) {
        this.spec = spec;
        this.engine = engine;
        this.templateSource = engine.header.string("tokenizer.chat_template");
        // Tools through the text protocol, for raw text and chat alike.
        this.capabilities = new Capabilities(true, templateSource != null, true, true, true, engine.nCtx, 0, 0);
        this.worker = Thread.ofPlatform().name("assay-llama").daemon(true).start(this::work);
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The model file's tokenizer, with no special-token parsing (raw text). */
    public int[] tokenize(String text) {
        return engine.tokenize(text, false);
    }

    Engine engine() {
        return engine;
    }

    public int vocabularySize() {
        return engine.nVocab;
    }

    public int contextTokens() {
        return engine.nCtx;
    }

    /** The tokens a prompt is turned into, including a leading BOS/EOS where asked for. */
    public int[] promptTokens(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Text t -> withStart(t.startOfText(), engine.tokenize(t.text(), false));
            case Prompt.Chat c -> withStart(engine.addBos, engine.tokenize(renderChat(c), true));
        };
    }

    private String promptText(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Text t -> t.text();
            case Prompt.Chat c -> renderChat(c);
        };
    }

    private String renderChat(Prompt.Chat chat) {
        if (templateSource == null) {
            throw new AssayException("model " + spec + " (" + engine.file + ") has no chat template "
                    + "(tokenizer.chat_template is missing from the GGUF); use --format raw.");
        }
        ChatTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = new ChatTemplate(templateSource, engine.file.toString(),
                            engine.bos >= 0 ? engine.piece(engine.bos) : "", engine.eos >= 0 ? engine.piece(engine.eos) : "");
                }
                t = template;
            }
        }
        return t.render(chat.messages(), chat.prefill());
    }

    private int[] withStart(boolean start, int[] tokens) {
        if (!start || engine.startToken() < 0) return tokens;
        int[] out = new int[tokens.length + 1];
        out[0] = engine.startToken();
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }

    /**
     * Continuation tokens are the tokenization of prompt+continuation minus the prompt's, because BPE may
     * merge across the boundary. Continuations whose boundary moves share a shorter prompt.
     */
    private ScoreJob prepare(ScoreRequest request) {
        boolean chat = request.prompt() instanceof Prompt.Chat;
        int[] prompt = promptTokens(request.prompt());
        if (prompt.length == 0) throw new AssayException("cannot score after an empty prompt with model " + spec
                + ": give some text, or a prompt with startOfText");
        String text = promptText(request.prompt());
        boolean start = prompt.length > 0 && (chat ? engine.addBos : ((Prompt.Text) request.prompt()).startOfText())
                && engine.startToken() >= 0;
        Map<Integer, List<Integer>> byPromptLength = new LinkedHashMap<>();
        int[][] conts = new int[request.continuations().size()][];
        for (int i = 0; i < conts.length; i++) {
            int[] full = withStart(start, engine.tokenize(text + request.continuations().get(i), chat));
            int m = Engine.commonPrefix(full, prompt);
            if (m == 0) { // the very first token merged: condition on the whole prompt instead
                m = prompt.length;
                full = concat(prompt, engine.tokenize(request.continuations().get(i), false));
            }
            conts[i] = Arrays.copyOfRange(full, m, full.length);
            byPromptLength.computeIfAbsent(m, k -> new ArrayList<>()).add(i);
        }
        List<Engine.Item> items = new ArrayList<>();
        List<int[]> positions = new ArrayList<>();
        int chunk = Math.max(1, engine.nSeqMax - 1);
        byPromptLength.forEach((m, idx) -> {
            for (int from = 0; from < idx.size(); from += chunk) {
                List<Integer> part = idx.subList(from, Math.min(idx.size(), from + chunk));
                int[][] c = new int[part.size()][];
                for (int k = 0; k < c.length; k++) c[k] = conts[part.get(k)];
                items.add(new Engine.Item(Arrays.copyOf(prompt, m), c));
                positions.add(part.stream().mapToInt(Integer::intValue).toArray());
            }
        });
        return new ScoreJob(items, positions, conts.length, new CompletableFuture<>());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        ScoreJob job = prepare(request);
        submit(job);
        return List.of(await(job.result));
    }

    /**
     * Each continuation scored on its own from an empty cache: no sharing, no batching. The reference for
     * the shared-prefix path, and the benchmark's naive baseline.
     */
    public List<ContinuationScore> scoreIndependently(ScoreRequest request) {
        ScoreJob job = prepare(request);
        return call(e -> {
            ContinuationScore[] out = new ContinuationScore[job.size];
            for (int j = 0; j < job.items.size(); j++) {
                Engine.Item it = job.items.get(j);
                for (int c = 0; c < it.continuations().length; c++) {
                    out[job.positions.get(j)[c]] = e.scoreAlone(it.prompt(), it.continuations()[c]);
                }
            }
            return List.of(out);
        });
    }

    /** Log-probabilities of every token of the vocabulary after the prompt. */
    double[] nextTokenLogprobs(Prompt prompt) {
        int[] tokens = promptTokens(prompt);
        return call(e -> e.nextTokenLogprobs(tokens));
    }

    /**
     * Requests with tools, or with tool turns in the conversation, go through the
     * {@link TextToolProtocol}: the tools are offered in the prompt, the model's {@code <bash>…</bash>}
     * is parsed back into a {@link dev.assay.model.ToolCall}.
     */
    @Override
    public Generation generate(GenerateRequest request) {
        if (TextToolProtocol.needed(request)) return TextToolProtocol.generate(request, this::generateText);
        return generateText(request);
    }

    private Generation generateText(GenerateRequest request) {
        int[] prompt = promptTokens(request.prompt());
        if (prompt.length == 0) throw new AssayException("cannot generate after an empty prompt with model " + spec);
        return call(e -> {
            List<Generation.Completion> completions = new ArrayList<>();
            long produced = 0;
            for (int c = 0; c < request.n(); c++) {
                var s = new Engine.Sampling(request.maxTokens(), request.temperature(), request.topP(),
                        request.seed() + 0x9E3779B97F4A7C15L * c, request.stop(), request.topLogprobs());
                Engine.Completion done = e.generate(prompt, s);
                produced += done.tokens();
                completions.add(new Generation.Completion(done.text(), done.finishReason(), done.logprobs()));
            }
            return new Generation(completions, prompt.length, produced);
        });
    }

    /** Runs a body on the worker thread, which owns the llama.cpp context. */
    <T> T call(Function<Engine, T> body) {
        var task = new Task<>(body, new CompletableFuture<>());
        submit(task);
        return await(task.result);
    }

    private void submit(Job job) {
        if (closed) throw new IllegalStateException("model " + spec + " is closed");
        queue.add(job);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new ModelCallException("llama.cpp call failed", e.getCause());
        }
    }

    // ---- the worker

    private void work() {
        List<Job> pending = new ArrayList<>();
        while (true) {
            try {
                pending.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(pending);
            List<ScoreJob> scores = new ArrayList<>();
            boolean stop = false;
            for (Job j : pending) {
                switch (j) {
                    case ScoreJob s -> scores.add(s);
                    case Task<?> t -> { runScores(scores); scores.clear(); t.run(engine); }
                    case Stop x -> stop = true;
                }
            }
            runScores(scores);
            pending.clear();
            if (stop) return;
        }
    }

    private record Placed(ScoreJob job, int item) {
        Engine.Item it() { return job.items.get(item); }
    }

    /** Packs all waiting score items into groups that fit one decode each, similar prompts together. */
    private void runScores(List<ScoreJob> jobs) {
        if (jobs.isEmpty()) return;
        Map<ScoreJob, ContinuationScore[]> results = new LinkedHashMap<>();
        List<Placed> all = new ArrayList<>();
        for (ScoreJob j : jobs) {
            results.put(j, new ContinuationScore[j.size]);
            for (int i = 0; i < j.items.size(); i++) all.add(new Placed(j, i));
        }
        all.sort(Comparator.comparing(p -> p.it().prompt(), Arrays::compare));
        List<Placed> group = new ArrayList<>();
        for (Placed p : all) {
            if (p.job.result.isDone()) continue;
            group.add(p);
            if (group.size() > 1 && !engine.fits(group.stream().map(Placed::it).toList())) {
                group.removeLast();
                runGroup(group, results);
                group.clear();
                group.add(p);
            }
        }
        runGroup(group, results);
        results.forEach((job, out) -> {
            if (!job.result.isDone()) job.result.complete(out);
        });
    }

    private void runGroup(List<Placed> group, Map<ScoreJob, ContinuationScore[]> results) {
        group.removeIf(p -> p.job.result.isDone());
        if (group.isEmpty()) return;
        List<Engine.Item> items = group.stream().map(Placed::it).toList();
        try {
            if (items.size() == 1 && !engine.fits(items)) {
                Engine.Item only = items.getFirst();
                if (!engine.fitsAlone(only)) {
                    int need = only.prompt().length + Arrays.stream(only.continuations()).mapToInt(c -> c.length).sum();
                    throw engine.contextTooSmall(need);
                }
                engine.reset();
            }
            List<ContinuationScore[]> scored = engine.score(items, true);
            for (int g = 0; g < group.size(); g++) {
                Placed p = group.get(g);
                int[] pos = p.job.positions.get(p.item);
                ContinuationScore[] out = results.get(p.job);
                for (int c = 0; c < pos.length; c++) out[pos[c]] = scored.get(g)[c];
            }
        } catch (Throwable t) {
            for (Placed p : group) p.job.result.completeExceptionally(t);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.add(new Stop());
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }

    @Override
    public String toString() {
        return spec + " (" + engine.file + ", n_ctx " + engine.nCtx + ")";
    }
}
