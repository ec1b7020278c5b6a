package dev.assay.llama;

import dev.assay.AssayException;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.ModelProvider;

import java.nio.file.Path;

/**
 * {@code llama/NAME} opens a known model from the cache (downloading it on first use);
 * {@code llama/PATH.gguf} opens a local file. Options: {@code ctx} (context per sequence), {@code threads},
 * {@code sequences} (sequences decoded together), {@code ubatch} (llama.cpp n_ubatch), {@code kv} (KV cells
 * in all), {@code prefix_cache} (on|off).
 */
public final class LlamaProvider implements ModelProvider {

    @Override
    public String prefix() {
        return "llama";
    }

    @Override
    public String description() {
        return "embedded llama.cpp (" + LlamaCpp.BUILD + ") in-process: llama/" + ModelStore.DEFAULT_MODEL
                + " (default), llama/smollm2-135m-instruct, llama/smollm2-360m-instruct, llama/PATH.gguf";
    }

    @Override
    public Model open(String name, ModelOptions options) {
        LlamaModel.Settings d = LlamaModel.Settings.defaults();
        var settings = new LlamaModel.Settings(
                intOption(options, "ctx", d.contextTokens()),
                intOption(options, "threads", d.threads()),
                intOption(options, "sequences", d.sequences()),
                intOption(options, "ubatch", d.microBatch()),
                intOption(options, "kv", d.kvCells()),
                switchOption(options, "prefix_cache", d.prefixCache()));
        Path file;
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            file = Path.of(name);
        } else {
            ModelStore.Known k = ModelStore.require(name);
            file = ModelStore.fromEnvironment(options.cacheDir()).resolve(k);
        }
        return LlamaModel.open("llama/" + name, file, settings);
    }

    private static boolean switchOption(ModelOptions options, String key, boolean fallback) {
        String v = options.extra(key, null);
        if (v == null) return fallback;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new AssayException("model option " + key + "=" + v + ": expected on or off");
        };
    }

    private static int intOption(ModelOptions options, String key, int fallback) {
        String v = options.extra(key, null);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new AssayException("model option " + key + "=" + v + ": expected a positive whole number");
        }
    }

    @Override
    public java.util.Map<String, String> options() {
        return java.util.Map.of(
                "ctx", "context per sequence in tokens (default min(4096, trained))",
                "threads", "CPU threads for the engine",
                "sequences", "sequences decoded together in one batch (default 32)",
                "ubatch", "micro-batch size in tokens",
                "kv", "KV cache cells in all, shared by running sequences and the prefix cache (default: 256 MiB worth)",
                "prefix_cache", "on|off: keep prompt prefixes' KV state across calls (default on)");
    }
}
