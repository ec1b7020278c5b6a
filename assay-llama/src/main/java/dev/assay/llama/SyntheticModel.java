package dev.assay.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.AssayException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Llama-architecture GGUF models with random weights, in the tensor shapes of real models, and a real
 * Hugging Face BPE tokenizer. Their log-probabilities are near uniform: they measure speed and plumbing,
 * never behaviour. Tests use {@link Shape#TINY} (a few MB, written in well under a second); the engine
 * benchmark uses the real shapes.
 */
public final class SyntheticModel {
    private SyntheticModel() {
    }

    /** Tensor shapes. {@code vocab} larger than the tokenizer's is padded with unused tokens. */
    public record Shape(String name, int layers, int dim, int ffn, int heads, int kvHeads, int vocab,
                        int contextLength, double ropeTheta, double rmsEps) {
        public static final Shape TINY = new Shape("tiny", 2, 64, 128, 4, 2, 49152, 2048, 100000, 1e-5);
        public static final Shape SMOLLM2_135M = new Shape("smollm2-135m", 30, 576, 1536, 9, 3, 49152, 8192, 100000, 1e-5);
        public static final Shape SMOLLM2_360M = new Shape("smollm2-360m", 32, 960, 2560, 15, 5, 49152, 8192, 100000, 1e-5);
        /** Qwen2.5-0.5B's sizes in the llama architecture (no QKV bias). */
        public static final Shape QWEN25_05B = new Shape("qwen2.5-0.5b", 24, 896, 4864, 14, 2, 151936, 32768, 1000000, 1e-6);

        public static Shape named(String name) {
            for (Shape s : List.of(TINY, SMOLLM2_135M, SMOLLM2_360M, QWEN25_05B)) {
                if (s.name.equals(name)) return s;
            }
            throw new AssayException("unknown model shape '" + name + "': use tiny, smollm2-135m, smollm2-360m or qwen2.5-0.5b");
        }

        int headDim() { return dim / heads; }
    }

    /** SmolLM2's ChatML template (as in its tokenizer_config.json). */
    public static final String CHATML_TEMPLATE = """
            {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
            {{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}\
            {% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}\
            {% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}""";

    /**
     * Writes a model. {@code quantized} chooses Q8_0 for the matrices (as the real downloads) over F32.
     * {@code chatTemplate} may be null (no template in the file).
     */
    public static void write(Path out, Shape shape, Path tokenizerJson, boolean quantized, long seed,
                             String chatTemplate) throws IOException {
        GgufWriter w = header(shape, "assay-synthetic-" + shape.name, tokenizerJson, quantized, chatTemplate);
        int matrix = quantized ? GgmlType.Q8_0 : GgmlType.F32;
        int kvDim = shape.kvHeads * shape.headDim();
        long[] state = {seed * 0x9E3779B97F4A7C15L + 1};
        w.tensor("token_embd.weight", new long[]{shape.dim, shape.vocab}, matrix, random(shape.dim, shape.vocab, quantized, state, 0.02f));
        w.tensor("output_norm.weight", new long[]{shape.dim}, GgmlType.F32, ones(shape.dim));
        for (int l = 0; l < shape.layers; l++) {
            String p = "blk." + l + ".";
            // small weights keep the random network tame, as training does for real ones: 30 chaotic layers
            // would amplify float rounding differences between batch layouts far beyond a real model's
            float s = 0.02f;
            w.tensor(p + "attn_norm.weight", new long[]{shape.dim}, GgmlType.F32, ones(shape.dim));
            w.tensor(p + "attn_q.weight", new long[]{shape.dim, shape.dim}, matrix, random(shape.dim, shape.dim, quantized, state, s));
            w.tensor(p + "attn_k.weight", new long[]{shape.dim, kvDim}, matrix, random(shape.dim, kvDim, quantized, state, s));
            w.tensor(p + "attn_v.weight", new long[]{shape.dim, kvDim}, matrix, random(shape.dim, kvDim, quantized, state, s));
            w.tensor(p + "attn_output.weight", new long[]{shape.dim, shape.dim}, matrix, random(shape.dim, shape.dim, quantized, state, s));
            w.tensor(p + "ffn_norm.weight", new long[]{shape.dim}, GgmlType.F32, ones(shape.dim));
            w.tensor(p + "ffn_gate.weight", new long[]{shape.dim, shape.ffn}, matrix, random(shape.dim, shape.ffn, quantized, state, s));
            w.tensor(p + "ffn_up.weight", new long[]{shape.dim, shape.ffn}, matrix, random(shape.dim, shape.ffn, quantized, state, s));
            w.tensor(p + "ffn_down.weight", new long[]{shape.ffn, shape.dim}, matrix, random(shape.ffn, shape.dim, quantized, state, s));
        }
        w.write(out);
    }

    /** The metadata of a llama-architecture model of {@code shape}: sizes, tokenizer and chat template. */
    public static GgufWriter header(Shape shape, String name, Path tokenizerJson, boolean quantized, String chatTemplate) throws IOException {
        GgufWriter w = new GgufWriter()
                .string("general.architecture", "llama")
                .string("general.name", name)
                .u32("general.file_type", quantized ? 7 : 0)
                .u32("llama.context_length", shape.contextLength)
                .u32("llama.embedding_length", shape.dim)
                .u32("llama.block_count", shape.layers)
                .u32("llama.feed_forward_length", shape.ffn)
                .u32("llama.rope.dimension_count", shape.headDim())
                .u32("llama.attention.head_count", shape.heads)
                .u32("llama.attention.head_count_kv", shape.kvHeads)
                .f32("llama.attention.layer_norm_rms_epsilon", shape.rmsEps)
                .f32("llama.rope.freq_base", shape.ropeTheta)
                .u32("llama.vocab_size", shape.vocab);
        addTokenizer(w, tokenizerJson, shape.vocab);
        if (chatTemplate != null) w.string("tokenizer.chat_template", chatTemplate);
        return w;
    }

    /** Copies a Hugging Face byte-level BPE tokenizer.json into GGUF "gpt2" tokenizer metadata. */
    static void addTokenizer(GgufWriter w, Path tokenizerJson, int vocabSize) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(tokenizerJson));
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new AssayException(tokenizerJson + ": only byte-level BPE tokenizers are supported, found " + model.path("type"));
        }
        String[] tokens = new String[vocabSize];
        int[] types = new int[vocabSize];
        model.path("vocab").properties().forEach(e -> {
            int id = e.getValue().asInt();
            if (id < vocabSize) { tokens[id] = e.getKey(); types[id] = 1; }
        });
        int bos = -1, eos = -1;
        for (JsonNode t : root.path("added_tokens")) {
            int id = t.path("id").asInt();
            if (id >= vocabSize) continue;
            tokens[id] = t.path("content").asText();
            types[id] = t.path("special").asBoolean() ? 3 : 4;
        }
        List<String> tokenList = new ArrayList<>(vocabSize);
        for (int i = 0; i < vocabSize; i++) {
            if (tokens[i] == null) { tokens[i] = "[PAD" + i + "]"; types[i] = 5; }
            tokenList.add(tokens[i]);
            if (tokens[i].equals("<|im_start|>")) bos = i;
            if (tokens[i].equals("<|im_end|>")) eos = i;
        }
        // config.json beside the tokenizer (as in a HF repo) knows bos/eos best
        Path config = tokenizerJson.resolveSibling("config.json");
        if (Files.exists(config)) {
            JsonNode c = new ObjectMapper().readTree(Files.readAllBytes(config));
            if (c.path("bos_token_id").isInt()) bos = c.path("bos_token_id").asInt();
            if (c.path("eos_token_id").isInt()) eos = c.path("eos_token_id").asInt();
        }
        if (bos < 0) bos = 0;
        if (eos < 0) eos = 0;
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        String pre = "smollm";
        w.string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", pre)
                .strings("tokenizer.ggml.tokens", tokenList)
                .i32s("tokenizer.ggml.token_type", types)
                .strings("tokenizer.ggml.merges", merges)
                .u32("tokenizer.ggml.bos_token_id", bos)
                .u32("tokenizer.ggml.eos_token_id", eos)
                .u32("tokenizer.ggml.unknown_token_id", 0)
                .u32("tokenizer.ggml.padding_token_id", eos)
                .bool("tokenizer.ggml.add_bos_token", false);
    }

    private static GgufWriter.TensorBytes ones(int n) {
        return sink -> {
            for (int i = 0; i < n; i++) sink.reserve(4).putFloat(1f);
        };
    }

    /** Uniform random rows in [-scale, scale]; Q8_0 quantizes them block by block as llama.cpp would. */
    private static GgufWriter.TensorBytes random(int rowLength, int rows, boolean quantized, long[] state, float scale) {
        return sink -> {
            float[] block = new float[32];
            long x = state[0];
            long values = (long) rowLength * rows;
            if (!quantized) {
                for (long i = 0; i < values; i++) {
                    x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
                    sink.reserve(4).putFloat(((x >>> 40) / (float) (1 << 24) * 2 - 1) * scale);
                }
            } else {
                for (long b = 0; b < values / 32; b++) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) {
                        x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
                        block[i] = ((x >>> 40) / (float) (1 << 24) * 2 - 1) * scale;
                        amax = Math.max(amax, Math.abs(block[i]));
                    }
                    float d = amax / 127f;
                    float id = d == 0 ? 0 : 1f / d;
                    ByteBuffer out = sink.reserve(34);
                    out.putShort(Float.floatToFloat16(d));
                    for (int i = 0; i < 32; i++) out.put((byte) Math.round(block[i] * id));
                }
            }
            state[0] = x;
        };
    }

    static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
