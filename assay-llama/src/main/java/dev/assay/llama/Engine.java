package dev.assay.llama;

import dev.assay.AssayException;
import dev.assay.model.ContinuationScore;
import dev.assay.model.ModelCallException;
import dev.assay.model.TokenLogprob;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.assay.llama.LlamaCpp.BATCH;
import static dev.assay.llama.LlamaCpp.CONTEXT_PARAMS;
import static dev.assay.llama.LlamaCpp.MODEL_PARAMS;
import static dev.assay.llama.LlamaCpp.offset;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One llama.cpp model and context, and the low-level operations the {@link Scheduler} builds on: the batch,
 * logits rows, KV sequences. Not thread-safe: {@link LlamaModel} confines every call except tokenization to
 * its single worker thread.
 *
 * <p>The KV cache is llama.cpp's unified cache of {@link #kvCells} cells shared by {@link #nSeqMax} sequence
 * ids; a sequence may hold at most {@link #nCtx} positions (the context per sequence).
 */
final class Engine implements AutoCloseable {

    /** Sequence ids llama.cpp b4916 handles comfortably; half or more are left for the prefix cache. */
    static final int MAX_SEQUENCE_IDS = 64;
    /** The default KV budget when kv= is not given: enough for several sequences, bounded in memory. */
    static final long DEFAULT_KV_BYTES = 256L << 20;

    final LlamaCpp cpp = LlamaCpp.get();
    final Path file;
    final GgufHeader header;
    private final Arena arena = Arena.ofShared();
    private MemorySegment model, ctx;
    final MemorySegment vocab;
    /** nCtx: positions per sequence; kvCells: cells of the whole cache; nBatch: tokens per llama_decode. */
    final int nVocab, nCtx, kvCells, nBatch, nUbatch, nSeqMax, parallel, bos, eos;
    final boolean addBos;

    private final MemorySegment batch, tokenSeg, posSeg, nSeqSeg, seqDataSeg, logitsSeg;
    private final float[] row;

    /**
     * @param requestedCtx positions per sequence (0: min(4096, trained))
     * @param parallel     sequences decoded together at most (generation streams, scored continuations)
     * @param requestedKv  KV cells in all (0: derived from {@link #DEFAULT_KV_BYTES}, the model's KV width
     *                     and {@code parallel × ctx}, at least one full sequence)
     */
    Engine(Path file, int requestedCtx, int threads, int parallel, int microBatch, int requestedKv) {
        this(file, requestedCtx, threads, parallel, microBatch, requestedKv, false);
    }

    /** @param f32Cache K and V cached in F32 instead of llama.cpp's default F16 (for exact comparisons: {@link EngineProbe}) */
    Engine(Path file, int requestedCtx, int threads, int parallel, int microBatch, int requestedKv, boolean f32Cache) {
        this.file = file;
        this.header = GgufHeader.read(file);
        if (parallel > MAX_SEQUENCE_IDS - 8) {
            throw new AssayException("model option sequences=" + parallel + " for " + file + ": at most "
                    + (MAX_SEQUENCE_IDS - 8) + " sequences can be decoded together");
        }
        try {
            cpp.clearLog();
            MemorySegment mp = (MemorySegment) cpp.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            mp.set(JAVA_INT, offset(MODEL_PARAMS, "n_gpu_layers"), 0);
            MemorySegment path = arena.allocateFrom(file.toAbsolutePath().toString());
            model = (MemorySegment) cpp.modelLoadFromFile.invokeExact(path, mp);
            if (model.equals(MemorySegment.NULL)) {
                String why = cpp.recentErrors();
                String arch = header.architecture();
                throw new AssayException("llama.cpp " + LlamaCpp.BUILD + " could not load model file " + file
                        + (arch.isEmpty() ? "" : " (architecture '" + arch + "')")
                        + (why.isEmpty() ? "" : ": " + why)
                        + ". Use a GGUF of an architecture llama.cpp " + LlamaCpp.BUILD + " supports.");
            }
            vocab = (MemorySegment) cpp.modelGetVocab.invokeExact(model);
            nVocab = (int) cpp.vocabNTokens.invokeExact(vocab);
            int trained = (int) cpp.modelNCtxTrain.invokeExact(model);
            int perSeq = requestedCtx > 0 ? requestedCtx : 4096;
            if (trained > 0) perSeq = Math.min(perSeq, trained);
            int cells = requestedKv > 0 ? requestedKv : defaultKvCells(header, perSeq, parallel);
            if (cells < perSeq) {
                throw new AssayException("model option kv=" + cells + " for " + file + " is smaller than one sequence's "
                        + "context (ctx=" + perSeq + "): raise kv or lower ctx");
            }
            this.parallel = parallel;
            this.nSeqMax = Math.min(MAX_SEQUENCE_IDS, Math.max(parallel + 8, 2 * parallel));
            this.nBatch = perSeq;
            MemorySegment cp = (MemorySegment) cpp.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_ctx"), cells);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_batch"), nBatch);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_ubatch"), Math.min(microBatch, nBatch));
            nUbatch = Math.min(microBatch, nBatch);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_seq_max"), nSeqMax);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_threads"), threads);
            cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "n_threads_batch"), threads);
            cp.set(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "no_perf"), true);
            if (f32Cache) {
                cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "type_k"), 0); // GGML_TYPE_F32
                cp.set(JAVA_INT, offset(CONTEXT_PARAMS, "type_v"), 0);
            }
            ctx = (MemorySegment) cpp.initFromModel.invokeExact(model, cp);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new AssayException("llama.cpp could not create a context of " + cells + " KV cells for " + file
                        + ": " + cpp.recentErrors() + ". Try a smaller cache (--model-option kv=4096) or context (ctx=2048).");
            }
            kvCells = (int) cpp.nCtx.invokeExact(ctx);
            nCtx = perSeq;
            bos = (int) cpp.vocabBos.invokeExact(vocab);
            eos = (int) cpp.vocabEos.invokeExact(vocab);
            addBos = (boolean) cpp.vocabGetAddBos.invokeExact(vocab);
        } catch (AssayException e) {
            close();
            throw e;
        } catch (Throwable t) {
            close();
            throw new IllegalStateException("llama.cpp failed opening " + file, t);
        }
        int cap = nBatch;
        tokenSeg = arena.allocate(JAVA_INT, cap);
        posSeg = arena.allocate(JAVA_INT, cap);
        nSeqSeg = arena.allocate(JAVA_INT, cap);
        MemorySegment seqPtrSeg = arena.allocate(ADDRESS, cap);
        seqDataSeg = arena.allocate(JAVA_INT, (long) cap * nSeqMax);
        for (int i = 0; i < cap; i++) {
            seqPtrSeg.setAtIndex(ADDRESS, i, seqDataSeg.asSlice((long) i * nSeqMax * 4, (long) nSeqMax * 4));
        }
        logitsSeg = arena.allocate(JAVA_BYTE, cap);
        batch = arena.allocate(BATCH);
        batch.set(ADDRESS, offset(BATCH, "token"), tokenSeg);
        batch.set(ADDRESS, offset(BATCH, "embd"), MemorySegment.NULL);
        batch.set(ADDRESS, offset(BATCH, "pos"), posSeg);
        batch.set(ADDRESS, offset(BATCH, "n_seq_id"), nSeqSeg);
        batch.set(ADDRESS, offset(BATCH, "seq_id"), seqPtrSeg);
        batch.set(ADDRESS, offset(BATCH, "logits"), logitsSeg);
        row = new float[nVocab];
    }

    /**
     * KV cells for {@link #DEFAULT_KV_BYTES}: K and V in F16 per layer, {@code n_embd / n_head × n_head_kv}
     * wide; never more than {@code parallel} full sequences, never less than one.
     */
    static int defaultKvCells(GgufHeader header, int perSeq, int parallel) {
        String arch = header.architecture();
        long layers = header.number(arch + ".block_count", 0), embd = header.number(arch + ".embedding_length", 0),
                heads = header.number(arch + ".attention.head_count", 0),
                kvHeads = header.number(arch + ".attention.head_count_kv", heads);
        long bytesPerCell = layers > 0 && embd > 0 && heads > 0 ? 2 * 2 * layers * (embd / heads) * kvHeads : 0;
        long byBudget = bytesPerCell > 0 ? DEFAULT_KV_BYTES / bytesPerCell : perSeq;
        long cells = Math.min((long) perSeq * parallel, Math.max(perSeq, byBudget));
        return (int) Math.max(perSeq, cells);
    }

    // ---- vocabulary (thread-safe in llama.cpp: the vocabulary is read-only after load)

    int[] tokenize(String text, boolean parseSpecial) {
        try (Arena a = Arena.ofConfined()) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment t = a.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, t, JAVA_BYTE, 0, utf8.length);
            int max = utf8.length + 8;
            MemorySegment out = a.allocate(JAVA_INT, max);
            int n = (int) cpp.tokenize.invokeExact(vocab, t, utf8.length, out, max, false, parseSpecial);
            if (n < 0) {
                max = -n;
                out = a.allocate(JAVA_INT, max);
                n = (int) cpp.tokenize.invokeExact(vocab, t, utf8.length, out, max, false, parseSpecial);
            }
            if (n < 0) throw new ModelCallException("llama_tokenize failed (" + n + ")");
            return out.asSlice(0, n * 4L).toArray(JAVA_INT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new ModelCallException("llama_tokenize failed", t);
        }
    }

    byte[] pieceBytes(int token) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            int n = (int) cpp.tokenToPiece.invokeExact(vocab, token, buf, 256, 0, false);
            if (n < 0) {
                buf = a.allocate(-n);
                n = (int) cpp.tokenToPiece.invokeExact(vocab, token, buf, -n, 0, false);
            }
            return buf.asSlice(0, Math.max(0, n)).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw new ModelCallException("llama_token_to_piece failed", t);
        }
    }

    String piece(int token) {
        return new String(pieceBytes(token), StandardCharsets.UTF_8);
    }

    boolean isEndOfGeneration(int token) {
        try {
            return (boolean) cpp.vocabIsEog.invokeExact(vocab, token);
        } catch (Throwable t) {
            throw new ModelCallException("llama_vocab_is_eog failed", t);
        }
    }

    /** The token put first for Prompt.Text(startOfText=true): BOS, else EOS (the datasets' <EOT>). */
    int startToken() {
        return bos >= 0 ? bos : eos;
    }

    String metadata(String key) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocateFrom(key);
            MemorySegment buf = a.allocate(1 << 16);
            int n = (int) cpp.modelMetaValStr.invokeExact(model, k, buf, (long) (1 << 16));
            if (n < 0) return null;
            if (n >= 1 << 16) {
                buf = a.allocate(n + 1L);
                n = (int) cpp.modelMetaValStr.invokeExact(model, k, buf, (long) n + 1);
            }
            return buf.getString(0);
        } catch (Throwable t) {
            throw new ModelCallException("llama_model_meta_val_str failed", t);
        }
    }

    // ---- the batch: built by the Scheduler, one token per entry, each entry tagged with the KV sequences it
    // belongs to (a prefix shared by several sequences is one entry with several tags)

    private int nTokens;

    int batchSize() {
        return nTokens;
    }

    /** Appends a token at {@code pos} of sequence {@code seq}; returns its index in the batch. */
    int add(int token, int pos, int seq, boolean logits) {
        int i = nTokens++;
        tokenSeg.setAtIndex(JAVA_INT, i, token);
        posSeg.setAtIndex(JAVA_INT, i, pos);
        nSeqSeg.setAtIndex(JAVA_INT, i, 1);
        seqDataSeg.setAtIndex(JAVA_INT, (long) i * nSeqMax, seq);
        logitsSeg.set(JAVA_BYTE, i, (byte) (logits ? 1 : 0));
        return i;
    }

    /** Tags batch entry {@code i} with one more sequence: the same token at the same position, shared. */
    void share(int i, int seq) {
        int n = nSeqSeg.getAtIndex(JAVA_INT, i);
        seqDataSeg.setAtIndex(JAVA_INT, (long) i * nSeqMax + n, seq);
        nSeqSeg.setAtIndex(JAVA_INT, i, n + 1);
    }

    void wantLogits(int i) {
        logitsSeg.set(JAVA_BYTE, i, (byte) 1);
    }

    /**
     * llama_decode's "no run of free KV cells for the batch", after which nothing was decoded and the cache is as
     * before: llama.h documents 1, but build b4916 returns -3 (its decode logs "failed to prepare ubatch" when
     * find_slot fails). -3 is also that build's code for a failed graph compute, which a retry only meets again.
     */
    static boolean noSlot(int status) {
        return status == 1 || status == -3;
    }

    /** Why a decode failed, for messages: the status, what it means, and llama.cpp's last log lines. */
    String decodeFailure(int status) {
        String why = cpp.recentErrors();
        return "llama_decode returned " + status + (noSlot(status) ? " (no run of free KV cells for the batch in the cache of " + kvCells
                + " cells)" : "") + (why.isBlank() ? "" : ": " + why);
    }

    /** Decodes the batch and empties it; returns llama_decode's status (see {@link #noSlot}: nothing useful decoded). */
    int decode() {
        batch.set(JAVA_INT, 0, nTokens);
        try {
            return (int) cpp.decode.invokeExact(ctx, batch);
        } catch (Throwable t) {
            throw new ModelCallException("llama_decode failed", t);
        } finally {
            nTokens = 0;
        }
    }

    private void decodeOrThrow() {
        int status = decode();
        if (status != 0) {
            kvClear();
            throw new ModelCallException(decodeFailure(status));
        }
    }

    /** The logits of batch entry {@code i}, copied into a row the caller may read until the next call. */
    float[] logits(int i) {
        MemorySegment p;
        try {
            p = (MemorySegment) cpp.getLogitsIth.invokeExact(ctx, i);
        } catch (Throwable t) {
            throw new ModelCallException("llama_get_logits_ith failed", t);
        }
        if (p.equals(MemorySegment.NULL)) throw new ModelCallException("no logits at batch position " + i);
        MemorySegment.copy(p.reinterpret(nVocab * 4L), JAVA_FLOAT, 0, row, 0, nVocab);
        return row;
    }

    private double logitsRow(int i) {
        return Sampler.logPartition(logits(i));
    }

    // ---- the KV cache

    void kvClear() {
        try {
            cpp.kvSelfClear.invokeExact(ctx);
        } catch (Throwable t) {
            throw new ModelCallException("llama_kv_self_clear failed", t);
        }
    }

    /** Removes positions [p0, p1) of a sequence (-1: open end); cells no other sequence holds become free. */
    void seqRm(int seq, int p0, int p1) {
        try {
            boolean ok = (boolean) cpp.kvSelfSeqRm.invokeExact(ctx, seq, p0, p1);
            if (!ok) throw new ModelCallException("llama_kv_self_seq_rm refused");
        } catch (ModelCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new ModelCallException("llama_kv_self_seq_rm failed", t);
        }
    }

    /** Makes positions [0, length) of {@code src} part of {@code dst} too: the cells are shared, not copied. */
    void seqCp(int src, int dst, int length) {
        try {
            cpp.kvSelfSeqCp.invokeExact(ctx, src, dst, 0, length);
        } catch (Throwable t) {
            throw new ModelCallException("llama_kv_self_seq_cp failed", t);
        }
    }

    /** KV cells some sequence holds. */
    int usedCells() {
        try {
            return (int) cpp.kvSelfUsedCells.invokeExact(ctx);
        } catch (Throwable t) {
            throw new ModelCallException("llama_kv_self_used_cells failed", t);
        }
    }

    static int commonPrefix(int[] a, int[] b) {
        return commonPrefix(a, a.length, b, b.length);
    }

    static int commonPrefix(int[] a, int aLen, int[] b, int bLen) {
        int n = Math.min(aLen, bLen), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    /** Empties the cache (every sequence). */
    void reset() {
        kvClear();
    }

    /**
     * The reference: each continuation scored on its own, prompt and continuation decoded from an empty
     * cache in one sequence, nothing shared. Used to check the scheduler and as the benchmark's naive path.
     */
    ContinuationScore scoreAlone(int[] prompt, int[] cont) {
        kvClear();
        if (prompt.length + cont.length > nBatch) throw contextTooSmall(prompt.length + cont.length);
        for (int p = 0; p < prompt.length; p++) add(prompt[p], p, 0, p == prompt.length - 1);
        for (int k = 0; k < cont.length; k++) add(cont[k], prompt.length + k, 0, k < cont.length - 1);
        decodeOrThrow();
        double total = 0;
        boolean greedy = true;
        for (int k = 0; k < cont.length; k++) {
            double z = logitsRow(k == 0 ? prompt.length - 1 : prompt.length + k - 1);
            total += row[cont[k]] - z;
            greedy &= Sampler.argmax(row) == cont[k];
        }
        kvClear();
        return new ContinuationScore(total, List.of(), greedy && cont.length > 0);
    }

    AssayException contextTooSmall(int tokens) {
        return new AssayException("the prompt needs " + tokens + " tokens but a sequence of model " + file
                + " holds " + nCtx + ". Shorten the prompt or raise the context (--model-option ctx=N, at most the "
                + "model's trained context).");
    }

    /** Settings of one sampled completion. */
    record Sampling(int maxTokens, double temperature, double topP, long seed, List<String> stop, int topLogprobs) {
    }

    /** {@code decodeNanos}: time from the first generated token's sampling to the end (for the benchmark). */
    record Completion(String text, String finishReason, int tokens, List<TokenLogprob> logprobs, long decodeNanos) {
    }

    /** The {@code k} most probable tokens of {@code row} and their log-probabilities (pieces merged). */
    Map<String, Double> top(float[] row, int k, double logZ) {
        Integer[] idx = new Integer[row.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Float.compare(row[b], row[a]));
        Map<String, Double> top = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(k, idx.length); i++) top.merge(piece(idx[i]), row[idx[i]] - logZ, Math::max);
        return top;
    }

    /** The log-probabilities of every vocabulary token after the prompt (a full row, for checks). */
    double[] nextTokenLogprobs(int[] prompt) {
        reset();
        if (prompt.length > nBatch) throw contextTooSmall(prompt.length);
        for (int p = 0; p < prompt.length; p++) add(prompt[p], p, 0, p == prompt.length - 1);
        decodeOrThrow();
        double z = logitsRow(prompt.length - 1);
        double[] out = new double[nVocab];
        for (int i = 0; i < nVocab; i++) out[i] = row[i] - z;
        reset();
        return out;
    }

    @Override
    public void close() {
        try {
            if (ctx != null && !ctx.equals(MemorySegment.NULL)) cpp.free.invokeExact(ctx);
            if (model != null && !model.equals(MemorySegment.NULL)) cpp.modelFree.invokeExact(model);
        } catch (Throwable t) {
            throw new IllegalStateException("freeing llama.cpp model failed", t);
        } finally {
            ctx = null;
            model = null;
            if (arena.scope().isAlive()) arena.close();
        }
    }

    MemorySegment modelPointer() {
        return model;
    }

    MemorySegment context() {
        return ctx;
    }
}
