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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A GGUF model run in-process by llama.cpp. Many virtual threads may call it at once: their calls become
 * sequences of one continuous-batching decode loop ({@link Scheduler}) on a worker thread that owns the
 * llama.cpp context, with a prefix cache across calls. Tokenization and template rendering happen on the
 * callers' threads.
 */
public final class LlamaModel implements Model {

    /**
     * How a model is opened; 0 means "choose". {@code contextTokens}: positions per sequence (min(4096,
     * trained)); {@code threads}: all cores; {@code sequences}: sequences decoded together; {@code microBatch}
     * is llama.cpp's n_ubatch (its compute buffer grows with n_ubatch x vocabulary, so a small value saves
     * memory at little cost in speed on CPUs); {@code kvCells}: the whole KV cache, shared by the running
     * sequences and the prefix cache (see {@link Engine#defaultKvCells}).
     */
    public record Settings(int contextTokens, int threads, int sequences, int microBatch, int kvCells, boolean prefixCache) {
        public Settings(int contextTokens, int threads, int sequences, int microBatch) {
            this(contextTokens, threads, sequences, microBatch, 0, true);
        }

        public static Settings defaults() {
            return new Settings(0, Runtime.getRuntime().availableProcessors(), 32, 128, 0, true);
        }
    }

    private final String spec;
    private final Engine engine;
    private final String templateSource;
    private volatile ChatTemplate template; // built on first use: Jinjava is heavy and raw prompts never need it
    private final Capabilities capabilities;
    private final Scheduler scheduler;
    private final Thread worker;
    private volatile boolean closed;
    private final String fileIdentity;

    public static LlamaModel open(String spec, Path file, Settings settings) {
        LlamaModel m = new LlamaModel(spec, new Engine(file, settings.contextTokens(), settings.threads(), settings.sequences(),
                settings.microBatch(), settings.kvCells()));
        if (!settings.prefixCache()) m.prefixCache(false);
        return m;
    }

    private LlamaModel(String spec, Engine engine) {
        this.spec = spec;
        this.engine = engine;
        this.templateSource = engine.header.string("tokenizer.chat_template");
        // Tools through the text protocol, for raw text and chat alike.
        this.capabilities = new Capabilities(true, templateSource != null, true, true, true, engine.nCtx, 0, 0);
        this.scheduler = new Scheduler(engine);
        this.worker = Thread.ofPlatform().name("assay-llama").daemon(true).start(scheduler::run);
        this.fileIdentity = fileIdentity(engine.file);
    }

    /**
     * The weights file as it was when opened: its size and modification time. A file retrained or replaced
     * at the same path gets new response-cache keys; hashing the weights would cost seconds per open.
     */
    private static String fileIdentity(Path file) {
        try {
            var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return "bytes=" + a.size() + ",modified=" + a.lastModifiedTime().toInstant();
        } catch (java.io.IOException e) {
            return ""; // the engine has the file open; an unreadable attribute only loses this guard
        }
    }

    @Override
    public String cacheIdentity() {
        return fileIdentity;
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
     * merge across the boundary; such a continuation is scored after the shorter prompt they share.
     */
    private Scheduler.ScoreJob prepare(ScoreRequest request) {
        boolean chat = request.prompt() instanceof Prompt.Chat;
        int[] prompt = promptTokens(request.prompt());
        if (prompt.length == 0) throw new AssayException("cannot score after an empty prompt with model " + spec
                + ": give some text, or a prompt with startOfText");
        String text = promptText(request.prompt());
        boolean start = prompt.length > 0 && (chat ? engine.addBos : ((Prompt.Text) request.prompt()).startOfText())
                && engine.startToken() >= 0;
        int n = request.continuations().size();
        int[][] tokens = new int[n][];
        int[] promptLengths = new int[n];
        for (int i = 0; i < n; i++) {
            int[] full = withStart(start, engine.tokenize(text + request.continuations().get(i), chat));
            int m = Engine.commonPrefix(full, prompt);
            if (m == 0) { // the very first token merged: condition on the whole prompt instead
                m = prompt.length;
                full = concat(prompt, engine.tokenize(request.continuations().get(i), false));
            }
            if (full.length > engine.nCtx) throw engine.contextTooSmall(full.length);
            tokens[i] = full;
            promptLengths[i] = m;
        }
        return new Scheduler.ScoreJob(tokens, promptLengths, new CompletableFuture<>());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        Scheduler.ScoreJob job = prepare(request);
        submit(job);
        return List.of(await(job.result()));
    }

    /**
     * Each continuation scored on its own from an empty cache: no sharing, no batching. The reference for
     * the shared-prefix path, and the benchmark's naive baseline.
     */
    public List<ContinuationScore> scoreIndependently(ScoreRequest request) {
        Scheduler.ScoreJob job = prepare(request);
        return call(e -> {
            ContinuationScore[] out = new ContinuationScore[job.tokens().length];
            for (int i = 0; i < out.length; i++) {
                int m = job.promptLengths()[i];
                int[] all = job.tokens()[i];
                out[i] = e.scoreAlone(Arrays.copyOf(all, m), Arrays.copyOfRange(all, m, all.length));
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
        if (prompt.length >= engine.nCtx) throw engine.contextTooSmall(prompt.length + 1);
        List<Engine.Sampling> samplings = new ArrayList<>();
        for (int c = 0; c < request.n(); c++) {
            samplings.add(new Engine.Sampling(request.maxTokens(), request.temperature(), request.topP(),
                    request.seed() + 0x9E3779B97F4A7C15L * c, request.stop(), request.topLogprobs()));
        }
        var job = new Scheduler.GenerateJob(prompt, samplings, new CompletableFuture<>());
        submit(job);
        List<Generation.Completion> completions = new ArrayList<>();
        long produced = 0;
        for (Engine.Completion done : await(job.result())) {
            produced += done.tokens();
            completions.add(new Generation.Completion(done.text(), done.finishReason(), done.logprobs()));
        }
        return new Generation(completions, prompt.length, produced);
    }

    /** One completion, as the engine's loop produced it (for the benchmark: tokens and decode time). */
    Engine.Completion complete(int[] prompt, Engine.Sampling sampling) {
        var job = new Scheduler.GenerateJob(prompt, List.of(sampling), new CompletableFuture<>());
        submit(job);
        return await(job.result()).getFirst();
    }

    /** Turns the prefix cache across calls on or off (emptying it), once the calls in flight are done. */
    void prefixCache(boolean on) {
        call(e -> {
            scheduler.keepPrefixes(on);
            return null;
        });
    }

    /** What the engine counted since it was opened: sequences, prefix-cache hits, tokens read and generated. */
    @Override
    public Map<String, Long> counters() {
        return scheduler.counters.snapshot();
    }

    /** Runs a body on the worker thread, which owns the llama.cpp context. */
    <T> T call(Function<Engine, T> body) {
        var task = new Scheduler.Task<>(body, new CompletableFuture<>());
        submit(task);
        return await(task.result());
    }

    private void submit(Scheduler.Job job) {
        if (closed) throw new IllegalStateException("model " + spec + " is closed");
        scheduler.submit(job);
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

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        scheduler.submit(new Scheduler.Stop());
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }

    @Override
    public String toString() {
        return spec + " (" + engine.file + ", ctx " + engine.nCtx + " per sequence, " + engine.parallel
                + " sequences, " + engine.kvCells + " KV cells)";
    }
}
