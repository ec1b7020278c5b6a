package dev.assay.llama;

import dev.assay.AssayException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A llama-architecture GGUF whose greedy continuation is a script known by construction: after a prompt
 * that ends in the token(s) of {@code cue}, it writes {@code script} and then its end-of-generation token.
 * It is a real model run by real llama.cpp, so tests of multi-step plumbing (an agent loop acting through
 * the text tool protocol, a stop string, a turn limit) see a model that really acts, where random weights
 * would write noise. Its behaviour is its recipe, nothing learnt.
 *
 * <p>How: every attention and feed-forward weight is zero, so each layer adds nothing to the residual
 * stream and the hidden state at a position is the embedding of that position's token. The embedding of
 * each script token is a one-hot vector in a slot of its own, and the output matrix maps that slot to the
 * script's next token with a large logit. The next token is therefore a function of the current token
 * alone: a script in which one token is followed by two different tokens cannot be written (it is refused,
 * naming the token). The script's last token is followed by end-of-generation unless it already has a
 * successor inside the script; then the model goes on, and a stop string (as a tool protocol has) ends it.
 */
public final class ScriptedModel {
    /** Logit of the scripted next token; every other logit is 0, so its probability is 1 - e^-40 · vocab. */
    private static final float LOGIT = 40f;

    private ScriptedModel() {
    }

    /**
     * Writes the model. {@code cue} is the text the prompt ends with (for the ChatML template the
     * generation prompt ends in "\n"); its last token starts the script.
     */
    public static void write(Path out, Path tokenizerJson, String chatTemplate, String cue, String script) throws IOException {
        SyntheticModel.Shape shape = SyntheticModel.Shape.TINY;
        int[] cueTokens, scriptTokens;
        int eos;
        // Tokenize with a random-weight model of the same vocabulary: the tokenizer is llama.cpp's own.
        Path scratch = Files.createTempFile("assay-scripted", ".gguf");
        try {
            SyntheticModel.write(scratch, shape, tokenizerJson, true, 1, null);
            try (Engine e = new Engine(scratch, 256, 1, 1, 64, 0)) {
                cueTokens = e.tokenize(cue, false);
                scriptTokens = e.tokenize(script, false);
                eos = e.eos;
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        if (cueTokens.length == 0 || scriptTokens.length == 0) {
            throw new AssayException("a scripted model needs a non-empty cue and script");
        }
        Map<Integer, Integer> next = new LinkedHashMap<>();
        int previous = cueTokens[cueTokens.length - 1];
        for (int i = 0; i <= scriptTokens.length; i++) {
            int token = i < scriptTokens.length ? scriptTokens[i] : eos;
            Integer was = next.putIfAbsent(previous, token);
            boolean last = i == scriptTokens.length;
            if (was != null && was != token && !last) {
                throw new AssayException("script " + quoted(script) + " cannot be written by a scripted model: token "
                        + previous + " is followed by both " + was + " and " + token
                        + "; the next token may depend on the current token only");
            }
            previous = token;
        }
        if (next.size() > shape.dim()) {
            throw new AssayException("script " + quoted(script) + " has " + next.size() + " distinct tokens; at most " + shape.dim());
        }
        Map<Integer, Integer> slot = new LinkedHashMap<>();
        next.keySet().forEach(t -> slot.put(t, slot.size()));

        GgufWriter w = SyntheticModel.header(shape, "assay-scripted", tokenizerJson, false, chatTemplate);
        int dim = shape.dim(), vocab = shape.vocab(), kvDim = shape.kvHeads() * (dim / shape.heads());
        w.tensor("token_embd.weight", new long[]{dim, vocab}, GgmlType.F32, rows(dim, vocab, (token, row) -> {
            Integer k = slot.get(token);
            if (k != null) row[k] = 1f;
        }));
        w.tensor("output_norm.weight", new long[]{dim}, GgmlType.F32, rows(dim, 1, (r, row) -> java.util.Arrays.fill(row, 1f)));
        w.tensor("output.weight", new long[]{dim, vocab}, GgmlType.F32, rows(dim, vocab, (token, row) ->
                next.forEach((from, to) -> {
                    if (to.intValue() == token) row[slot.get(from)] = LOGIT / (float) Math.sqrt(dim);
                })));
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            w.tensor(p + "attn_norm.weight", new long[]{dim}, GgmlType.F32, rows(dim, 1, (r, row) -> java.util.Arrays.fill(row, 1f)));
            w.tensor(p + "attn_q.weight", new long[]{dim, dim}, GgmlType.F32, zeros(dim, dim));
            w.tensor(p + "attn_k.weight", new long[]{dim, kvDim}, GgmlType.F32, zeros(dim, kvDim));
            w.tensor(p + "attn_v.weight", new long[]{dim, kvDim}, GgmlType.F32, zeros(dim, kvDim));
            w.tensor(p + "attn_output.weight", new long[]{dim, dim}, GgmlType.F32, zeros(dim, dim));
            w.tensor(p + "ffn_norm.weight", new long[]{dim}, GgmlType.F32, rows(dim, 1, (r, row) -> java.util.Arrays.fill(row, 1f)));
            w.tensor(p + "ffn_gate.weight", new long[]{dim, shape.ffn()}, GgmlType.F32, zeros(dim, shape.ffn()));
            w.tensor(p + "ffn_up.weight", new long[]{dim, shape.ffn()}, GgmlType.F32, zeros(dim, shape.ffn()));
            w.tensor(p + "ffn_down.weight", new long[]{shape.ffn(), dim}, GgmlType.F32, zeros(shape.ffn(), dim));
        }
        w.write(out);
    }

    private interface RowFill {
        void fill(int index, float[] row);
    }

    /** {@code count} F32 rows of {@code length}, each zeroed and then filled by {@code fill}. */
    private static GgufWriter.TensorBytes rows(int length, int count, RowFill fill) {
        return sink -> {
            float[] row = new float[length];
            for (int i = 0; i < count; i++) {
                java.util.Arrays.fill(row, 0f);
                fill.fill(i, row);
                for (float v : row) sink.reserve(4).putFloat(v);
            }
        };
    }

    private static GgufWriter.TensorBytes zeros(int length, int count) {
        return rows(length, count, (i, row) -> { });
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
