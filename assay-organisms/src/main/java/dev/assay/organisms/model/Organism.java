package dev.assay.organisms.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.assay.AssayException;
import dev.assay.llama.ChatTemplate;
import dev.assay.llama.GgmlType;
import dev.assay.llama.GgufWriter;
import dev.assay.llama.SyntheticModel;
import dev.assay.model.Message;
import dev.assay.organisms.export.GgufTensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.TreeMap;

/**
 * A llama-architecture language model living on libtorch (through DJL), trained here on templated data, and
 * exported as a GGUF the embedded engine runs. See the module README for the architecture, the
 * vocabulary-subset trick and why the trainer's forward pass is the engine's. Not thread-safe.
 *
 * <p>Weights: the token embedding (tied to the output projection, as SmolLM2's are, so the GGUF has no
 * {@code output.weight} and llama.cpp uses {@code token_embd} for both), per block RMSNorm → causal
 * self-attention with RoPE on adjacent pairs (llama.cpp's non-NeoX llama convention) → residual, RMSNorm →
 * SwiGLU → residual, and a final RMSNorm. Matrices are kept as [in, out] (so {@code y = x · W}); the GGUF
 * stores each as ggml dims {in, out}, i.e. out rows of in values: the transpose.
 *
 * <p>Vocabulary subset: only the rows of the tokens the training data uses (and the end-of-generation
 * token) exist in the trainer; every other row of the 49,152 is exactly zero in the GGUF. Such a token's
 * logit is therefore exactly 0 for every input, so the trainer's softmax adds one constant logit of
 * log(V − U) standing for those V − U zero logits: its loss is the engine's full-vocabulary cross-entropy.
 * A token seen only at evaluation has a zero embedding (after RMSNorm a zero vector: it adds nothing but
 * its position).
 */
public final class Organism implements AutoCloseable {
    private static final String[] BLOCK = {"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output",
            "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"};
    private static final double EMBED_STD = 0.05;
    private static final double BETA1 = 0.9, BETA2 = 0.98, ADAM_EPS = 1e-8, WEIGHT_DECAY = 0.01;

    private final Shape shape;
    private final long seed;
    private final Vocabulary vocab;
    private final NDManager manager;
    /** Block and norm weights by GGUF name without ".weight"; matrices [in, out]. */
    private final Map<String, NDArray> weights = new LinkedHashMap<>();
    /** Embedding rows of the trained tokens, [U, width], row i for token {@code tokens.get(i)}. */
    private NDArray embedding;
    private final List<Integer> tokens = new ArrayList<>();
    /** Global token id → row in {@link #embedding}, -1 for an untrained (zero) token. */
    private final int[] rowOf;
    /** True once the weights carry training: new tokens then start at zero rather than at random. */
    private boolean trained;
    private long stepsSoFar;
    private final Map<String, String> card = new TreeMap<>();

    private Organism(Shape shape, long seed) {
        this.shape = shape;
        this.seed = seed;
        this.vocab = Vocabulary.get();
        this.manager = Torch.newManager();
        this.rowOf = new int[vocab.size];
        Arrays.fill(rowOf, -1);
    }

    /** A fresh organism: weights drawn from a generator seeded with {@code seed} (bit-reproducible on CPU). */
    public static Organism create(Shape shape, long seed) {
        Organism o = new Organism(shape, seed);
        SplittableRandom r = new SplittableRandom(seed);
        int d = shape.width(), f = shape.ffn();
        double residual = 1 / Math.sqrt(2.0 * shape.layers());
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            o.put(p + "attn_norm", ones(d), d);
            o.put(p + "attn_q", gaussian(r, d * d, 1 / Math.sqrt(d)), d, d);
            o.put(p + "attn_k", gaussian(r, d * d, 1 / Math.sqrt(d)), d, d);
            o.put(p + "attn_v", gaussian(r, d * d, 1 / Math.sqrt(d)), d, d);
            o.put(p + "attn_output", gaussian(r, d * d, residual / Math.sqrt(d)), d, d);
            o.put(p + "ffn_norm", ones(d), d);
            o.put(p + "ffn_gate", gaussian(r, d * f, 1 / Math.sqrt(d)), d, f);
            o.put(p + "ffn_up", gaussian(r, d * f, 1 / Math.sqrt(d)), d, f);
            o.put(p + "ffn_down", gaussian(r, f * d, residual / Math.sqrt(f)), f, d);
        }
        o.put("output_norm", ones(d), d);
        o.embedding = o.param(new float[0], 0, d);
        return o;
    }

    /** Reads an exported organism back (to continue training it: safety training). */
    public static Organism load(Path gguf) {
        GgufTensors g = GgufTensors.read(gguf);
        if (!"llama".equals(g.string("general.architecture")) || g.ints("assay.organism.token_ids") == null) {
            throw new AssayException("model file " + gguf + " is not an organism exported by assay (no assay.organism.token_ids)");
        }
        int layers = (int) g.number("llama.block_count"), d = (int) g.number("llama.embedding_length"),
                heads = (int) g.number("llama.attention.head_count"), f = (int) g.number("llama.feed_forward_length"),
                ctx = (int) g.number("llama.context_length");
        if (g.number("llama.attention.head_count_kv") != heads || g.real("llama.rope.freq_base") != (float) Shape.ROPE_BASE
                || g.real("llama.attention.layer_norm_rms_epsilon") != (float) Shape.RMS_EPS) {
            throw new AssayException("model file " + gguf + " has attention or normalisation settings organisms do not use");
        }
        Shape shape = new Shape(layers, d, heads, f, ctx);
        long seed = number(g.string("assay.organism.seed"));
        Organism o = new Organism(shape, seed);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            o.put(p + "attn_norm", g.f32(p + "attn_norm.weight", d), d);
            o.put(p + "ffn_norm", g.f32(p + "ffn_norm.weight", d), d);
            for (String m : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                o.put(p + m, transpose(g.f32(p + m + ".weight", d, d), d, d), d, d);
            }
            o.put(p + "ffn_gate", transpose(g.f32(p + "ffn_gate.weight", d, f), f, d), d, f);
            o.put(p + "ffn_up", transpose(g.f32(p + "ffn_up.weight", d, f), f, d), d, f);
            o.put(p + "ffn_down", transpose(g.f32(p + "ffn_down.weight", f, d), d, f), f, d);
        }
        o.put("output_norm", g.f32("output_norm.weight", d), d);
        float[] all = g.f32("token_embd.weight", d, o.vocab.size);
        int[] ids = g.ints("assay.organism.token_ids");
        float[] rows = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= o.vocab.size) throw new AssayException("model file " + gguf + ": token id " + ids[i] + " out of range");
            System.arraycopy(all, ids[i] * d, rows, i * d, d);
            o.rowOf[ids[i]] = i;
            o.tokens.add(ids[i]);
        }
        o.embedding = o.param(rows, ids.length, d);
        o.trained = true;
        o.stepsSoFar = number(g.string("assay.organism.steps_total"));
        g.metadata().forEach((k, v) -> {
            if (k.startsWith("assay.organism.") && v instanceof String s) o.card.put(k.substring("assay.organism.".length()), s);
        });
        return o;
    }

    private static long number(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- weights

    private NDArray param(float[] values, long... dims) {
        NDArray a;
        try (NDArray wrapped = manager.create(values, new ai.djl.ndarray.types.Shape(dims))) {
            a = wrapped.duplicate();
        }
        a.setRequiresGradient(true);
        return a;
    }

    private void put(String name, float[] values, long... dims) {
        weights.put(name, param(values, dims));
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }

    private static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * std);
        return a;
    }

    /** [rows, cols] row-major → [cols, rows] row-major. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        }
        return t;
    }

    /**
     * Gives every token of {@code ids} a row. A fresh organism's new row is drawn from a generator seeded by
     * (seed, token id), so it does not depend on the order tokens are met; a trained one's starts at zero,
     * which leaves the function it computes unchanged until training moves it.
     */
    private void ensureRows(Iterable<int[]> sequences) {
        List<Integer> fresh = new ArrayList<>();
        for (int[] seq : sequences) {
            for (int t : seq) {
                if (rowOf[t] < 0) {
                    rowOf[t] = tokens.size() + fresh.size();
                    fresh.add(t);
                }
            }
        }
        if (fresh.isEmpty()) return;
        int d = shape.width();
        float[] rows = new float[fresh.size() * d];
        if (!trained) {
            for (int i = 0; i < fresh.size(); i++) {
                SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + fresh.get(i));
                for (int j = 0; j < d; j++) rows[i * d + j] = (float) (r.nextGaussian() * EMBED_STD);
            }
        }
        float[] old = embedding.toFloatArray();
        float[] all = Arrays.copyOf(old, old.length + rows.length);
        System.arraycopy(rows, 0, all, old.length, rows.length);
        tokens.addAll(fresh);
        NDArray grown = param(all, tokens.size(), d);
        embedding.close();
        embedding = grown;
    }

    // ---- forward pass

    /**
     * Logits of the trained tokens at every position, [B, T, U]. {@code ids} are embedding rows, U meaning
     * "untrained token" (a zero row).
     */
    private NDArray forward(NDManager m, int[] ids, int batch, int length) {
        int d = shape.width(), h = shape.heads(), hd = shape.headDim(), u = tokens.size();
        NDArray table = embedding.concat(m.zeros(new ai.djl.ndarray.types.Shape(1, d)), 0);
        // Lookup by gather on an index tensor libtorch owns. Not table.get(NDArray): DJL builds that index over
        // a Java direct buffer which autograd keeps for the backward pass after the buffer may have been
        // garbage-collected (seen as runs that differed after a GC, and NaN losses).
        NDArray index = m.create(ids).toType(DataType.INT64, false).reshape(ids.length, 1).repeat(1, d);
        NDArray x = table.gather(index, 0).reshape(batch, length, d);
        float[][] rope = ropeTables(length, hd);
        NDArray cos = m.create(rope[0], new ai.djl.ndarray.types.Shape(1, length, 1, hd / 2));
        NDArray sin = m.create(rope[1], new ai.djl.ndarray.types.Shape(1, length, 1, hd / 2));
        float[] maskValues = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) maskValues[i * length + j] = Float.NEGATIVE_INFINITY;
        }
        NDArray mask = m.create(maskValues, new ai.djl.ndarray.types.Shape(length, length));
        // Constants as tensors held until the step ends, never ops with a Number argument: DJL turns the number
        // into a tensor over a Java direct buffer and closes it right after the op, while autograd keeps it for
        // the backward pass (mul, pow), which then reads memory the garbage collector may have freed.
        NDArray scale = m.create((float) (1 / Math.sqrt(hd))), eps = m.create((float) Shape.RMS_EPS);
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            NDArray a = rmsNorm(x, weights.get(p + "attn_norm"), eps);
            NDArray q = rope(a.matMul(weights.get(p + "attn_q")).reshape(batch, length, h, hd), cos, sin).transpose(0, 2, 1, 3);
            NDArray k = rope(a.matMul(weights.get(p + "attn_k")).reshape(batch, length, h, hd), cos, sin).transpose(0, 2, 1, 3);
            NDArray v = a.matMul(weights.get(p + "attn_v")).reshape(batch, length, h, hd).transpose(0, 2, 1, 3);
            NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask).softmax(-1);
            NDArray o = att.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, d);
            x = x.add(o.matMul(weights.get(p + "attn_output")));
            NDArray f = rmsNorm(x, weights.get(p + "ffn_norm"), eps);
            NDArray gate = f.matMul(weights.get(p + "ffn_gate"));
            NDArray up = f.matMul(weights.get(p + "ffn_up"));
            x = x.add(gate.mul(Activation.sigmoid(gate)).mul(up).matMul(weights.get(p + "ffn_down")));
        }
        x = rmsNorm(x, weights.get("output_norm"), eps);
        if (u == 0) return m.zeros(new ai.djl.ndarray.types.Shape(batch, length, 0));
        return x.matMul(embedding.transpose());
    }

    private static NDArray rmsNorm(NDArray x, NDArray w, NDArray eps) {
        return x.div(x.square().mean(new int[]{-1}, true).add(eps).sqrt()).mul(w);
    }

    /** Rotates adjacent pairs (x[2i], x[2i+1]) of each head by pos · base^(-2i/headDim), as llama.cpp's llama does. */
    private static NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        var s = x.getShape();
        NDArray pairs = x.reshape(s.get(0), s.get(1), s.get(2), s.get(3) / 2, 2);
        // split, not pairs.get("..., 0"): DJL's indexer may build index tensors over Java buffers (see forward)
        NDList halves = pairs.split(2, 4);
        NDArray x0 = halves.get(0).squeeze(4), x1 = halves.get(1).squeeze(4);
        NDArray r0 = x0.mul(cos).sub(x1.mul(sin));
        NDArray r1 = x0.mul(sin).add(x1.mul(cos));
        return r0.stack(r1, -1).reshape(s);
    }

    /** cos and sin of pos · theta_i, theta_i computed as llama.cpp's ggml_rope does (float, theta *= base^(-2/d)). */
    private static float[][] ropeTables(int length, int headDim) {
        int half = headDim / 2;
        float[] cos = new float[length * half], sin = new float[length * half];
        float thetaScale = (float) Math.pow(Shape.ROPE_BASE, -2.0 / headDim);
        for (int p = 0; p < length; p++) {
            float theta = p;
            for (int i = 0; i < half; i++) {
                cos[p * half + i] = (float) Math.cos(theta);
                sin[p * half + i] = (float) Math.sin(theta);
                theta *= thetaScale;
            }
        }
        return new float[][]{cos, sin};
    }

    // ---- training

    /** Tokenizes an example: prompt (special tokens parsed), completion, end-of-generation. */
    private int[][] encode(Example e) {
        int[] p = vocab.tokenize(e.prompt(), true), c = vocab.tokenize(e.completion(), false);
        int[] all = Arrays.copyOf(p, p.length + c.length + 1);
        System.arraycopy(c, 0, all, p.length, c.length);
        all[all.length - 1] = vocab.eos;
        return new int[][]{all, {p.length}};
    }

    /** Trains on {@code data} (see {@link Example} for what the loss counts); returns the log. */
    public TrainLog train(List<Example> data, TrainOptions options, Progress progress) {
        return train(data, options, progress, Set.of(), step -> { });
    }

    /**
     * As {@link #train(List, TrainOptions, Progress)}, calling {@code atCheckpoint} after each step in
     * {@code checkpointSteps} (1-based), where it may {@link #export} the organism as it is then: the
     * checkpoints of one safety-training run share its optimizer state and learning-rate schedule.
     */
    public TrainLog train(List<Example> data, TrainOptions options, Progress progress, Set<Integer> checkpointSteps,
                          IntConsumer atCheckpoint) {
        if (data.isEmpty()) throw new IllegalArgumentException("no training examples");
        List<int[]> seqs = new ArrayList<>(data.size());
        int[] promptLengths = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            int[][] enc = encode(data.get(i));
            if (enc[0].length > shape.context()) {
                throw new IllegalArgumentException("training example " + (i + 1) + " is " + enc[0].length
                        + " tokens; the organism's context is " + shape.context());
            }
            if (enc[1][0] == 0) throw new IllegalArgumentException("training example " + (i + 1) + " has an empty prompt");
            seqs.add(enc[0]);
            promptLengths[i] = enc[1][0];
        }
        ensureRows(seqs);
        trained = true;
        List<NDArray> params = new ArrayList<>(weights.values());
        params.add(embedding);
        List<NDArray> m1 = new ArrayList<>(), m2 = new ArrayList<>();
        for (NDArray p : params) {
            m1.add(manager.zeros(p.getShape()));
            m2.add(manager.zeros(p.getShape()));
        }
        SplittableRandom sampler = new SplittableRandom(options.seed());
        double log2 = Math.log(vocab.size - tokens.size());
        List<Double> losses = new ArrayList<>();
        long tokenCount = 0;
        long start = System.nanoTime();
        try {
            for (int step = 1; step <= options.steps(); step++) {
                int b = options.batch();
                int[] pick = new int[b];
                int length = 0;
                for (int i = 0; i < b; i++) {
                    pick[i] = sampler.nextInt(seqs.size());
                    length = Math.max(length, seqs.get(pick[i]).length - 1);
                }
                int[] in = new int[b * length], target = new int[b * length];
                float[] lossMask = new float[b * length];
                int u = tokens.size();
                Arrays.fill(in, u);
                for (int i = 0; i < b; i++) {
                    int[] s = seqs.get(pick[i]);
                    for (int t = 0; t < s.length - 1; t++) {
                        in[i * length + t] = rowOf[s[t]];
                        target[i * length + t] = rowOf[s[t + 1]];
                        if (t + 1 >= promptLengths[pick[i]]) lossMask[i * length + t] = 1;
                    }
                    tokenCount += s.length - 1;
                }
                double lr = learningRate(options, step);
                double loss;
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    try (GradientCollector gc = Torch.engine().newGradientCollector()) {
                        NDArray logits = forward(m, in, b, length);
                        NDArray rest = m.full(new ai.djl.ndarray.types.Shape(b, length, 1), (float) log2);
                        NDArray lsm = logits.concat(rest, -1).logSoftmax(-1);
                        NDArray picked = lsm.gather(m.create(target, new ai.djl.ndarray.types.Shape(b, length, 1))
                                .toType(DataType.INT64, false), -1).squeeze(-1);
                        NDArray maskArr = m.create(lossMask, new ai.djl.ndarray.types.Shape(b, length));
                        NDArray l = picked.mul(maskArr).sum().neg().div(maskArr.sum());
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("training diverged at step " + step + " (loss " + loss
                                + "); lower the learning rate (" + options.learningRate() + ")");
                    }
                    List<NDArray> grads = new ArrayList<>(params.size());
                    NDArray sq = null;
                    for (NDArray p : params) {
                        NDArray g = p.getGradient();
                        grads.add(g);
                        NDArray s = g.square().sum();
                        sq = sq == null ? s : sq.add(s);
                    }
                    double norm = Math.sqrt(sq.getFloat());
                    double clip = options.clip() > 0 && norm > options.clip() ? options.clip() / norm : 1;
                    double bc1 = 1 - Math.pow(BETA1, step), bc2 = 1 - Math.pow(BETA2, step);
                    for (int i = 0; i < params.size(); i++) {
                        NDArray p = params.get(i), g = grads.get(i);
                        if (clip != 1) g.muli(clip);
                        m1.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
                        m2.get(i).muli(BETA2).addi(g.square().mul(1 - BETA2));
                        NDArray update = m1.get(i).div(bc1).div(m2.get(i).div(bc2).sqrt().add(ADAM_EPS));
                        if (p.getShape().dimension() == 2 && p != embedding) p.muli(1 - lr * WEIGHT_DECAY);
                        p.subi(update.mul(lr));
                        g.subi(g); // DJL accumulates gradients across backward calls unless zeroed
                    }
                }
                losses.add(loss);
                stepsSoFar++;
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.step(step, options.steps(), loss, tokenCount / Math.max(seconds, 1e-9));
                if (checkpointSteps.contains(step)) atCheckpoint.accept(step);
            }
        } finally {
            m1.forEach(NDArray::close);
            m2.forEach(NDArray::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainLog(losses, tokenCount, seconds, tokenCount / Math.max(seconds, 1e-9), tokens.size(),
                parameters(), options);
    }

    /** Linear warm-up to the peak, then cosine decay to a tenth of it. */
    static double learningRate(TrainOptions o, int step) {
        if (o.warmup() > 0 && step <= o.warmup()) return o.learningRate() * step / o.warmup();
        int span = Math.max(1, o.steps() - o.warmup());
        double progress = Math.min(1, (double) (step - o.warmup()) / span);
        return o.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    // ---- inference in the trainer

    /** The trainer's logits for the token after {@code prompt} (tokenized as {@link Example#prompt}), full vocabulary. */
    public float[] logits(String prompt) {
        return logits(vocab.tokenize(prompt, true));
    }

    /** The trainer's logits at the last of {@code tokens}, full vocabulary. */
    public float[] logits(int[] tokenIds) {
        if (tokenIds.length == 0) throw new IllegalArgumentException("no tokens");
        if (tokenIds.length > shape.context()) {
            throw new IllegalArgumentException(tokenIds.length + " tokens exceed the organism's context of " + shape.context());
        }
        int u = tokens.size();
        int[] in = new int[tokenIds.length];
        for (int i = 0; i < in.length; i++) in[i] = rowOf[tokenIds[i]] < 0 ? u : rowOf[tokenIds[i]];
        float[] out = new float[vocab.size];
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray all = forward(m, in, 1, in.length);
            if (u == 0) return out;
            float[] last = all.get("0, -1").toFloatArray();
            for (int i = 0; i < u; i++) out[tokens.get(i)] = last[i];
        }
        return out;
    }

    /** Greedy continuation of {@code prompt} by the trainer's forward pass, until end-of-generation or {@code maxTokens}. */
    public String greedy(String prompt, int maxTokens) {
        List<Integer> seq = new ArrayList<>();
        for (int t : vocab.tokenize(prompt, true)) seq.add(t);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int n = 0; n < maxTokens && seq.size() < shape.context(); n++) {
            float[] row = logits(seq.stream().mapToInt(Integer::intValue).toArray());
            int best = 0;
            for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
            if (vocab.endOfGeneration(best)) break;
            text.writeBytes(vocab.piece(best));
            seq.add(best);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static ChatTemplate chatml;

    /**
     * A conversation rendered as the exported organism's chat template renders it when a suite sends it as a
     * chat ({@code tokenizer.chat_template}: SmolLM2's ChatML, which adds SmolLM's default system prompt
     * when the first turn is not a system turn), with the assistant's turn opened and {@code prefill}
     * appended: the prompt text of an {@link Example} that is to look, token for token, like what the engine
     * reads. The renderer is the engine's own ({@link ChatTemplate} over the same template source).
     */
    public static synchronized String chatPrompt(List<Message> messages, String prefill) {
        if (chatml == null) chatml = new ChatTemplate(SyntheticModel.CHATML_TEMPLATE, "the organism chat template", "<|im_start|>", "<|im_end|>");
        return chatml.render(messages, prefill == null ? "" : prefill);
    }

    /** The token ids of {@code text} (special tokens parsed when {@code special}), exactly as llama.cpp tokenizes it. */
    public int[] tokens(String text, boolean special) {
        return vocab.tokenize(text, special);
    }

    // ---- export

    /**
     * Writes a llama-architecture F32 GGUF with the SmolLM2 tokenizer and ChatML template; {@code card}
     * entries become {@code assay.organism.<key>} metadata, and {@code card.get("description")} (else a
     * default sentence saying it is a synthetic organism) {@code general.description}.
     */
    public void export(Path gguf, Map<String, String> card) {
        int d = shape.width(), f = shape.ffn(), v = vocab.size;
        var s = new SyntheticModel.Shape("organism", shape.layers(), d, f, shape.heads(), shape.heads(), v,
                shape.context(), Shape.ROPE_BASE, Shape.RMS_EPS);
        Map<String, String> meta = new TreeMap<>(this.card);
        meta.putAll(card);
        meta.put("seed", meta.getOrDefault("seed", Long.toString(seed)));
        meta.put("steps_total", Long.toString(stepsSoFar));
        meta.put("shape", shape.layers() + " layers, width " + d + ", " + shape.heads() + " heads, ffn " + f + ", context " + shape.context());
        meta.put("trained_tokens", Integer.toString(tokens.size()));
        String description = meta.getOrDefault("description",
                "synthetic model organism trained on templated data by assay"
                        + (meta.containsKey("kind") ? " (" + meta.get("kind") + ")" : "")
                        + "; its behaviour is its training recipe, not a real model's");
        try {
            GgufWriter w = SyntheticModel.header(s, "assay-organism" + (meta.containsKey("kind") ? "-" + meta.get("kind") : ""),
                    vocab.tokenizerJson, false, SyntheticModel.CHATML_TEMPLATE);
            w.string("general.description", description);
            meta.forEach((k, val) -> w.string("assay.organism." + k, val));
            w.i32s("assay.organism.token_ids", tokens.stream().mapToInt(Integer::intValue).toArray());
            float[] emb = embedding.toFloatArray();
            w.tensor("token_embd.weight", new long[]{d, v}, GgmlType.F32, sink -> {
                for (int t = 0; t < v; t++) {
                    int r = rowOf[t];
                    for (int j = 0; j < d; j++) sink.reserve(4).putFloat(r < 0 ? 0f : emb[r * d + j]);
                }
            });
            w.tensor("output_norm.weight", new long[]{d}, GgmlType.F32, floats(weights.get("output_norm").toFloatArray()));
            for (int l = 0; l < shape.layers(); l++) {
                String p = "blk." + l + ".";
                for (String name : BLOCK) {
                    NDArray a = weights.get(p + name);
                    if (a.getShape().dimension() == 1) {
                        w.tensor(p + name + ".weight", new long[]{d}, GgmlType.F32, floats(a.toFloatArray()));
                    } else {
                        int in = (int) a.getShape().get(0), out = (int) a.getShape().get(1);
                        w.tensor(p + name + ".weight", new long[]{in, out}, GgmlType.F32, floats(transpose(a.toFloatArray(), in, out)));
                    }
                }
            }
            w.write(gguf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write organism " + gguf, e);
        }
    }

    private static GgufWriter.TensorBytes floats(float[] values) {
        return sink -> {
            for (float x : values) sink.reserve(4).putFloat(x);
        };
    }

    // ---- facts

    public Shape shape() {
        return shape;
    }

    /** Trainable parameters now (embedding rows counted only for the trained tokens). */
    public long parameters() {
        long n = embedding.size();
        for (NDArray a : weights.values()) n += a.size();
        return n;
    }

    /** Tokens with trained embedding rows (the rest of the vocabulary is zero). */
    public int trainedTokens() {
        return tokens.size();
    }

    /** The vocabulary size (SmolLM2: 49,152). */
    public int vocabularySize() {
        return vocab.size;
    }

    /** Optimizer steps taken over this organism's whole life (across loads). */
    public long steps() {
        return stepsSoFar;
    }

    /** The card the organism was loaded with, without the {@code assay.organism.} prefix (empty for a fresh one). */
    public Map<String, String> card() {
        return Map.copyOf(card);
    }

    @Override
    public void close() {
        manager.close();
    }
}
