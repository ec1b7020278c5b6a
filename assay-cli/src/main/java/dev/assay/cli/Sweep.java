package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assay.AssayException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep file (assay run --sweep FILE.yaml): the models to evaluate, each with a label and metadata that
 * reports plot against (params on a log axis, rlhf_steps, step, family; any other scalar is kept too).
 * <pre>
 * models:
 *   - model: llama/pythia-160m
 *     label: 160M
 *     params: 1.6e8
 *     rlhf_steps: 0
 *     family: pythia
 *     step: 0                    # a checkpoint's training step (before/after safety training)
 *     options: {threads: 2}      # optional provider settings for this model only
 * </pre>
 * The metadata is recorded in the run's model options under "sweep." keys (providers ignore them),
 * so every run of a sweep carries its own place in it.
 */
public record Sweep(Path file, List<Entry> entries) {
    /** Prefix of the model options that carry a sweep entry's label and metadata. */
    public static final String PREFIX = "sweep.";

    record Entry(String model, Map<String, String> metadata, Map<String, String> options) {
        /** The model options of this entry's run: the command line's, this entry's, then its metadata. */
        Map<String, String> modelOptions(Map<String, String> common) {
            Map<String, String> m = new LinkedHashMap<>(common);
            m.putAll(options);
            metadata.forEach((k, v) -> m.put(PREFIX + k, v));
            return m;
        }
    }

    static Sweep read(Path file) {
        if (!Files.isRegularFile(file)) throw new AssayException("--sweep " + file + ": no such file");
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new AssayException("--sweep " + file + ": not valid YAML: " + e.getMessage(), e);
        }
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray() || models.isEmpty()) {
            throw new AssayException("--sweep " + file + ": expected a list 'models:' of entries like"
                    + " {model: llama/pythia-160m, label: 160M, params: 1.6e8, rlhf_steps: 0}");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            JsonNode e = models.get(i);
            String where = "--sweep " + file + ": models[" + i + "]";
            if (!e.isObject() || !e.hasNonNull("model") || !e.get("model").isTextual()) {
                throw new AssayException(where + " needs 'model: provider/name'");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, String> options = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                var f = it.next();
                String key = f.getKey();
                JsonNode v = f.getValue();
                if (key.equals("model")) continue;
                if (key.equals("options")) {
                    if (!v.isObject()) throw new AssayException(where + ".options must be a map of KEY: VALUE");
                    v.fields().forEachRemaining(o -> options.put(o.getKey(), o.getValue().asText()));
                    continue;
                }
                if (!v.isValueNode() || v.isNull()) throw new AssayException(where + "." + key + " must be a single value");
                if ((key.equals("params") || key.equals("rlhf_steps") || key.equals("step")) && !isNumber(v)) {
                    throw new AssayException(where + "." + key + " = '" + v.asText() + "' is not a number (e.g. params: 1.3e9, rlhf_steps: 500, step: 2000)");
                }
                meta.put(key, v.isNumber() ? v.numberValue().toString() : v.asText());
            }
            meta.putIfAbsent("label", e.get("model").asText());
            entries.add(new Entry(e.get("model").asText(), meta, options));
        }
        return new Sweep(file, entries);
    }

    private static boolean isNumber(JsonNode v) {
        if (v.isNumber()) return true;
        try {
            Double.parseDouble(v.asText().replace("_", ""));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
