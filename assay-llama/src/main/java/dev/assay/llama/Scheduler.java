package dev.assay.llama;

import dev.assay.model.ContinuationScore;
import dev.assay.model.ModelCallException;
import dev.assay.model.TokenLogprob;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one decode loop of a loaded model (continuous batching). Every concurrent generate and score call
 * becomes one or more {@link Sequence}s; each step puts one token of every generating sequence and as many
 * prompt tokens of the sequences still reading their prompts as fit into a single {@code llama_decode}.
 * Sequences join as requests arrive (up to {@link Engine#parallel} at once) and leave at their stop or
 * token limit, their KV sequence kept in the {@link PrefixCache}.
 *
 * <p>Prompt tokens are shared twice over: a sequence starts from the longest cached prefix (no decoding),
 * and sequences reading the same tokens at the same positions in one step decode them once, as one batch
 * entry tagged with all their sequence ids (the continuations of a score request, the n samples of a
 * generate request, concurrent prompts with one few-shot block).
 */
final class Scheduler {

    sealed interface Job {
    }

    /** {@code n} completions of one prompt, one sequence each. */
    record GenerateJob(int[] prompt, List<Engine.Sampling> samplings, CompletableFuture<List<Engine.Completion>> result)
            implements Job {
    }

    /**
     * Continuations scored after a prompt: continuation {@code i} is {@code tokens[i]} (the prompt's first
     * {@code promptLengths[i]} tokens, then the continuation's; BPE can move the boundary per continuation).
     */
    record ScoreJob(int[][] tokens, int[] promptLengths, CompletableFuture<ContinuationScore[]> result) implements Job {
    }

    /** Exclusive use of the engine (references, benchmarks): runs when no sequence is active; empties the cache. */
    record Task<T>(Function<Engine, T> body, CompletableFuture<T> result) implements Job {
        void run(Engine e) {
            try {
                result.complete(body.apply(e));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }
    }

    record Stop() implements Job {
    }

    /** What the loop counted since the model was opened (read by the run summary). */
    static final class Counters {
        final AtomicLong promptTokens = new AtomicLong(), cachedTokens = new AtomicLong(),
                decodedPromptTokens = new AtomicLong(), generatedTokens = new AtomicLong(),
                sequences = new AtomicLong(), cacheHits = new AtomicLong(), decodes = new AtomicLong(),
                evictions = new AtomicLong(), replans = new AtomicLong();

        Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("sequences", sequences.get());
            m.put("prefix_cache_hits", cacheHits.get());
            m.put("prompt_tokens", promptTokens.get());
            m.put("prompt_tokens_from_cache", cachedTokens.get());
            m.put("prompt_tokens_decoded", decodedPromptTokens.get());
            m.put("generated_tokens", generatedTokens.get());
            m.put("decode_calls", decodes.get());
            m.put("cache_evictions", evictions.get());
            m.put("replanned_steps", replans.get());
            return m;
        }
    }

    private final Engine engine;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Deque<Job> waiting = new ArrayDeque<>();
    private final Deque<Sequence> unadmitted = new ArrayDeque<>(); // sequences of the job being admitted
    private final List<Sequence> active = new ArrayList<>();
    private final Deque<Integer> freeIds = new ArrayDeque<>();
    private final PrefixCache cache = new PrefixCache();
    final Counters counters = new Counters();
    /** Off: a finished sequence's KV state is dropped (for comparisons; set on the worker thread only). */
    private boolean keepPrefixes = true;
    /**
     * Prompt tokens a step may read: the whole batch, halved after each decode that found no run of free cells
     * long enough (see {@link #noRoom}), doubled back after each that did.
     */
    private int readBudget;
    /** Generating sequences a step may advance: all, unless a generation-only step found no run of free cells. */
    private int genLimit;
    private int rotation;

    Scheduler(Engine engine) {
        this.engine = engine;
        this.readBudget = engine.nBatch;
        this.genLimit = engine.nSeqMax;
        for (int s = 0; s < engine.nSeqMax; s++) freeIds.add(s);
    }

    /** Turns the prefix cache on or off, emptying it; call on the worker thread (in a {@link Task}). */
    void keepPrefixes(boolean on) {
        forgetCache();
        keepPrefixes = on;
    }

    void submit(Job job) {
        queue.add(job);
    }

    // ---- the sequences

    /** One KV sequence at work: a generated completion or a scored continuation. */
    private final class Sequence {
        final Job job;
        final int index;
        int[] tokens;
        int length;          // tokens known: the prompt, then generated ones
        final int feedEnd;   // the prompt's length: tokens [inKv, feedEnd) are still to be read
        final int logitFrom, logitTo; // positions whose logits are needed
        int seq = -1;
        int inKv;            // positions [0, inKv) are in the KV cache
        // this step
        int stepFrom, stepTo, sampleIndex = -1;
        int[] stepIndex = new int[0];
        // scoring
        double total;
        boolean greedy = true;
        List<TokenLogprob> detail;
        // generation
        final Engine.Sampling sampling;
        final Sampler sampler;
        final int maxLength;
        int pending = -1;    // sampled, not yet decoded
        int generated;
        long started;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String text = "", finish;
        List<TokenLogprob> logprobs;

        Sequence(GenerateJob job, int index) {
            this.job = job;
            this.index = index;
            this.sampling = job.samplings().get(index);
            this.sampler = new Sampler(sampling.temperature(), sampling.topP(), sampling.seed());
            this.tokens = Arrays.copyOf(job.prompt(), job.prompt().length + 16);
            this.length = job.prompt().length;
            this.feedEnd = length;
            this.logitFrom = length - 1;
            this.logitTo = length;
            this.maxLength = Math.min(engine.nCtx, length + sampling.maxTokens());
            this.logprobs = sampling.topLogprobs() > 0 ? new ArrayList<>() : List.of();
        }

        Sequence(ScoreJob job, int index) {
            this.job = job;
            this.index = index;
            this.tokens = job.tokens()[index];
            this.length = tokens.length;
            this.feedEnd = tokens.length;
            this.logitFrom = job.promptLengths()[index] - 1;
            this.logitTo = tokens.length - 1;
            this.sampling = null;
            this.sampler = null;
            this.maxLength = tokens.length;
            this.detail = new ArrayList<>(Math.max(0, logitTo - logitFrom));
        }

        boolean generates() {
            return sampling != null;
        }

        /**
         * KV cells this sequence may still add: the prompt tokens not read yet, and the tokens it may still
         * generate. (Once generating, inKv passes feedEnd: counting feedEnd − inKv then, negative, took the
         * generated tokens off twice and let admission promise cells the cache did not have.)
         */
        int cellsAhead() {
            return Math.max(0, feedEnd - inKv) + (generates() ? maxLength - Math.max(length, feedEnd) + 1 : 0);
        }

        boolean fedThisStep(int p) {
            return p >= stepFrom && p < stepTo;
        }

        int indexAt(int p) {
            return stepIndex[p - stepFrom];
        }
    }

    private final Map<Job, Integer> remaining = new LinkedHashMap<>();
    private final Map<ScoreJob, ContinuationScore[]> scores = new LinkedHashMap<>();
    private final Map<GenerateJob, Engine.Completion[]> completions = new LinkedHashMap<>();

    // ---- the loop

    void run() {
        while (true) {
            try {
                if (active.isEmpty() && waiting.isEmpty() && unadmitted.isEmpty()) waiting.add(queue.take());
            } catch (InterruptedException e) {
                failAll(new IllegalStateException("the llama.cpp worker was interrupted"));
                return;
            }
            queue.drainTo(waiting);
            try {
                if (!admit()) return;
                if (!active.isEmpty()) step();
            } catch (RuntimeException | Error e) {
                // a native call failed mid-step: fail what was in flight, start over from an empty cache
                for (Sequence s : new ArrayList<>(active)) fail(s.job, e);
                for (Sequence s : new ArrayList<>(unadmitted)) fail(s.job, e);
                forgetCache();
            }
        }
    }

    /** Takes waiting work into free sequences; returns false once stopped. */
    private boolean admit() {
        while (true) {
            if (unadmitted.isEmpty()) {
                Job j = waiting.peek();
                if (j == null) return true;
                switch (j) {
                    case Stop s -> {
                        failAll(new IllegalStateException("model " + engine.file + " is closed"));
                        return false;
                    }
                    case Task<?> t -> {
                        if (!active.isEmpty()) return true; // runs once the active sequences are done
                        waiting.poll();
                        t.run(engine);
                        forgetCache();
                        continue;
                    }
                    case GenerateJob g -> {
                        waiting.poll();
                        remaining.put(g, g.samplings().size());
                        completions.put(g, new Engine.Completion[g.samplings().size()]);
                        for (int i = 0; i < g.samplings().size(); i++) unadmitted.add(new Sequence(g, i));
                    }
                    case ScoreJob s -> {
                        waiting.poll();
                        remaining.put(s, s.tokens().length);
                        scores.put(s, new ContinuationScore[s.tokens().length]);
                        for (int i = 0; i < s.tokens().length; i++) unadmitted.add(new Sequence(s, i));
                    }
                }
                continue;
            }
            if (active.size() >= engine.parallel) return true;
            Sequence s = unadmitted.peek();
            if (isDone(s.job)) { unadmitted.poll(); continue; } // failed meanwhile
            if (!start(s)) return true;
            unadmitted.poll();
        }
    }

    /** Gives a sequence an id and its cached prefix, if the cache can make room for it; else leaves it waiting. */
    private boolean start(Sequence s) {
        if (freeIds.isEmpty() && !evictOne()) return false;
        s.seq = freeIds.poll();
        PrefixCache.Match m = !keepPrefixes ? new PrefixCache.Match(-1, 0) : cache.longest(s.tokens, Math.max(0, Math.min(s.logitFrom, s.feedEnd - 1)));
        if (m.length() > 0) engine.seqCp(m.seq(), s.seq, m.length());
        s.inKv = m.length();
        // the sequences running now may still add cellsAhead() each; admit only what is sure to fit
        while (true) {
            long ahead = s.cellsAhead();
            for (Sequence a : active) ahead += a.cellsAhead();
            if (ahead <= engine.kvCells - engine.usedCells()) break;
            if (evictOne()) continue;
            if (active.isEmpty()) break; // alone it fits: its length is at most ctx <= kv
            engine.seqRm(s.seq, -1, -1);
            freeIds.addFirst(s.seq);
            s.seq = -1;
            s.inKv = 0;
            return false;
        }
        counters.sequences.incrementAndGet();
        counters.promptTokens.addAndGet(s.feedEnd);
        counters.cachedTokens.addAndGet(s.inKv);
        if (s.inKv > 0) counters.cacheHits.incrementAndGet();
        active.add(s);
        return true;
    }

    private boolean evictOne() {
        int seq = cache.evictLeastRecentlyUsed();
        if (seq < 0) return false;
        engine.seqRm(seq, -1, -1);
        freeIds.add(seq);
        counters.evictions.incrementAndGet();
        return true;
    }

    private void forgetCache() {
        engine.reset();
        freeIds.addAll(cache.clear());
    }

    /** One llama_decode: a token for each generating sequence, then prompt tokens, shared where equal. */
    private void step() {
        List<Sequence> inBatch = new ArrayList<>();
        List<Sequence> generating = new ArrayList<>();
        for (Sequence s : active) if (s.pending >= 0) generating.add(s);
        // after a replan, only some generate this step: in turn, so that none waits for the others to finish
        int from = generating.size() > genLimit ? rotation++ % generating.size() : 0;
        int generatingNow = Math.min(genLimit, generating.size());
        for (int k = 0; k < generatingNow; k++) {
            Sequence s = generating.get((from + k) % generating.size());
            s.stepFrom = s.stepTo = s.inKv;
            s.sampleIndex = engine.add(s.pending, s.inKv, s.seq, true);
            inBatch.add(s);
        }
        List<Sequence> reading = new ArrayList<>();
        for (Sequence s : active) if (s.pending < 0 && s.inKv < s.feedEnd) reading.add(s);
        // sorted, sequences sharing a prefix are neighbours: each shares with the one before it
        reading.sort((a, b) -> Arrays.compare(a.tokens, 0, a.feedEnd, b.tokens, 0, b.feedEnd));
        // a step without a generating sequence reads at least one token, or it would decode nothing
        int budget = Math.min(engine.batchSize() == 0 ? Math.max(1, readBudget) : readBudget, engine.nBatch - engine.batchSize());
        Sequence prev = null;
        for (Sequence s : reading) {
            int lcp = prev == null ? 0 : Engine.commonPrefix(prev.tokens, prev.feedEnd, s.tokens, s.feedEnd);
            boolean sharing = prev != null;
            s.stepFrom = s.inKv;
            s.stepIndex = new int[Math.min(s.feedEnd - s.inKv, engine.nBatch)];
            int p = s.inKv;
            while (p < s.feedEnd && p - s.stepFrom < s.stepIndex.length) {
                int idx;
                if (sharing && p < lcp && prev.fedThisStep(p)) {
                    idx = prev.indexAt(p);
                    engine.share(idx, s.seq);
                } else {
                    sharing = false; // once on its own, it stays on its own: every entry follows its dependencies
                    if (budget == 0) break;
                    idx = engine.add(s.tokens[p], p, s.seq, false);
                    budget--;
                    counters.decodedPromptTokens.incrementAndGet();
                }
                if (p >= s.logitFrom && p < s.logitTo) engine.wantLogits(idx);
                s.stepIndex[p - s.stepFrom] = idx;
                p++;
            }
            s.stepTo = p;
            if (s.stepTo > s.stepFrom) inBatch.add(s);
            prev = s;
        }
        if (inBatch.isEmpty()) return;
        ensureRoom();
        int entries = engine.batchSize();
        int status = engine.decode();
        counters.decodes.incrementAndGet();
        if (Engine.noSlot(status) && noRoom(inBatch, generatingNow, entries - generatingNow)) return;
        if (status != 0) {
            ModelCallException e = new ModelCallException(engine.decodeFailure(status));
            for (Sequence s : inBatch) {
                engine.seqRm(s.seq, s.stepFrom, -1);
                fail(s.job, e);
            }
            return;
        }
        readBudget = Math.min(engine.nBatch, 2 * readBudget + 1);
        genLimit = Math.min(engine.nSeqMax, 2 * genLimit);
        for (Sequence s : inBatch) consume(s);
        List<Sequence> done = new ArrayList<>();
        for (Sequence s : active) if (finished(s)) done.add(s);
        for (Sequence s : done) release(s);
    }

    /** Evicts cached prefixes until this batch's new cells fit. */
    private void ensureRoom() {
        int need = engine.batchSize();
        while (engine.kvCells - engine.usedCells() < need && evictOne()) {
            // keep evicting
        }
    }

    /**
     * The cache had the free cells but not side by side (llama.cpp puts each micro-batch in one run of free
     * cells): take back what the failed decode may have written, give up every cached prefix, and plan a smaller
     * next step — fewer prompt tokens, or, in a step of generation only, fewer generating sequences (down to one
     * token, which any free cell takes: admission keeps a cell for every token a running sequence may add).
     * Nothing was consumed, so the next step plans this one's work again. Returns false when there is nothing
     * smaller to try.
     *
     * <p>llama.cpp's own compaction ({@code llama_kv_self_defrag}) is not used: in build b4916 its defrag graph
     * failed a GGML_ASSERT on a view's bounds and aborted the process (found by
     * {@code SchedulerTest.aFragmentedCacheIsReplannedNotFailed}).
     */
    private boolean noRoom(List<Sequence> inBatch, int generating, int promptEntries) {
        for (Sequence s : inBatch) engine.seqRm(s.seq, s.stepFrom, -1);
        boolean evicted = false;
        while (evictOne()) evicted = true;
        if (promptEntries > (generating == 0 ? 1 : 0)) {
            readBudget = Math.min(readBudget, promptEntries) / 2;
        } else if (generating > 1) {
            genLimit = generating / 2;
        } else if (!evicted) {
            return false;
        }
        counters.replans.incrementAndGet();
        return true;
    }

    /** Reads this step's logits for one sequence: scores its continuation, or samples its next token. */
    private void consume(Sequence s) {
        if (s.pending >= 0) {
            s.tokens = ensure(s.tokens, s.length + 1);
            s.tokens[s.length++] = s.pending;
            s.inKv++;
            s.pending = -1;
            sample(s, s.sampleIndex);
            return;
        }
        for (int p = Math.max(s.stepFrom, s.logitFrom); p < Math.min(s.stepTo, s.logitTo); p++) {
            int idx = s.indexAt(p);
            if (s.generates()) {
                s.inKv = s.stepTo;
                s.started = System.nanoTime();
                sample(s, idx);
            } else {
                float[] row = engine.logits(idx);
                double lp = row[s.tokens[p + 1]] - Sampler.logPartition(row);
                s.total += lp;
                s.greedy &= Sampler.argmax(row) == s.tokens[p + 1];
                s.detail.add(new TokenLogprob(engine.piece(s.tokens[p + 1]), lp, Map.of()));
            }
        }
        s.inKv = s.stepTo;
    }

    private void sample(Sequence s, int idx) {
        float[] row = engine.logits(idx);
        int token = s.sampler.next(row);
        int top = s.sampling.topLogprobs();
        if (top > 0) {
            double logZ = Sampler.logPartition(row);
            s.logprobs.add(new TokenLogprob(engine.piece(token), row[token] - logZ, engine.top(row, top, logZ)));
        }
        if (engine.isEndOfGeneration(token)) {
            s.finish = "stop";
            return;
        }
        s.generated++;
        counters.generatedTokens.incrementAndGet();
        s.bytes.writeBytes(engine.pieceBytes(token));
        s.text = s.bytes.toString(StandardCharsets.UTF_8);
        int cut = firstStop(s.text, s.sampling.stop());
        if (cut >= 0) {
            s.text = s.text.substring(0, cut);
            s.finish = "stop";
            return;
        }
        if (s.generated >= s.sampling.maxTokens() || s.length + 1 > s.maxLength) {
            s.finish = "length";
            return;
        }
        s.pending = token;
    }

    private static int firstStop(String text, List<String> stops) {
        int best = -1;
        for (String stop : stops) {
            if (stop.isEmpty()) continue;
            int i = text.indexOf(stop);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    private boolean finished(Sequence s) {
        return s.generates() ? s.finish != null : s.inKv >= s.feedEnd;
    }

    /** Hands the result to the job, and the sequence's KV state to the prefix cache. */
    private void release(Sequence s) {
        active.remove(s);
        switch (s.job) {
            case GenerateJob g -> {
                Engine.Completion[] out = completions.get(g);
                if (out != null) {
                    out[s.index] = new Engine.Completion(s.text, s.finish, s.generated, s.logprobs,
                            System.nanoTime() - s.started);
                }
            }
            case ScoreJob j -> {
                ContinuationScore[] out = scores.get(j);
                if (out != null) {
                    out[s.index] = new ContinuationScore(s.total, s.detail, s.greedy && s.logitTo > s.logitFrom);
                }
            }
            default -> throw new IllegalStateException();
        }
        keep(s);
        Integer left = remaining.get(s.job);
        if (left == null) return;
        if (left > 1) {
            remaining.put(s.job, left - 1);
            return;
        }
        remaining.remove(s.job);
        switch (s.job) {
            case GenerateJob g -> g.result().complete(List.of(completions.remove(g)));
            case ScoreJob j -> j.result().complete(scores.remove(j));
            default -> throw new IllegalStateException();
        }
    }

    private void keep(Sequence s) {
        List<Integer> free = keepPrefixes ? cache.put(s.seq, Arrays.copyOf(s.tokens, s.inKv)) : List.of(s.seq);
        for (int id : free) {
            engine.seqRm(id, -1, -1);
            freeIds.add(id);
        }
        s.seq = -1;
    }

    private boolean isDone(Job j) {
        return switch (j) {
            case GenerateJob g -> g.result().isDone();
            case ScoreJob s -> s.result().isDone();
            default -> false;
        };
    }

    private void fail(Job job, Throwable t) {
        switch (job) {
            case GenerateJob g -> g.result().completeExceptionally(t);
            case ScoreJob s -> s.result().completeExceptionally(t);
            case Task<?> k -> k.result().completeExceptionally(t);
            case Stop x -> { }
        }
        remaining.remove(job);
        scores.remove(job);
        completions.remove(job);
        for (Sequence a : new ArrayList<>(active)) {
            if (a.job == job) {
                active.remove(a);
                engine.seqRm(a.seq, -1, -1);
                freeIds.add(a.seq);
            }
        }
        unadmitted.removeIf(u -> u.job == job);
    }

    private void failAll(Throwable t) {
        for (Sequence s : new ArrayList<>(active)) fail(s.job, t);
        for (Sequence s : new ArrayList<>(unadmitted)) fail(s.job, t);
        for (Job j : waiting) fail(j, t);
        waiting.clear();
        List<Job> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Job j : rest) fail(j, t);
    }

    private static int[] ensure(int[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }
}
